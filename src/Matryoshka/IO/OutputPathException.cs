namespace Matryoshka.IO;

/// <summary>
/// An output path names something the library will not replace: a directory, a device, a FIFO, a socket or a
/// symbolic link. Writes go through a temporary file renamed over the target, which would swap such an entry for a
/// regular file, so the write is refused before anything is written.
/// </summary>
public sealed class OutputPathException : MatryoshkaException
{
    /// <summary>Creates the exception for <paramref name="path"/>, which is a <paramref name="kind"/>.</summary>
    public OutputPathException(string path, string kind)
        : base($"{path}: is a {kind}, not a regular file; refusing to replace it (choose a regular file path)")
    {
        Path = path;
        Kind = kind;
    }

    /// <summary>The refused output path.</summary>
    public string Path { get; }

    /// <summary>What the path is instead of a regular file ("directory", "FIFO", "character device", …).</summary>
    public string Kind { get; }
}
