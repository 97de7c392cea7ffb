using Matryoshka.IO;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// The emoji package (an npm tarball such as <c>emoji-datasource-google-16.0.0.tgz</c>) was refused as a whole: it is
/// not a gzip-compressed tar archive, it breaks a size limit, an entry name could escape the archive
/// (<c>../evil.png</c>, absolute paths), or its <c>emoji.json</c> is missing or not a JSON array.
/// Single bad emoji are not errors: they are skipped and reported.
/// </summary>
public sealed class EmojiPackageException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public EmojiPackageException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public EmojiPackageException(string filePath, string problem, Exception innerException)
        : base(filePath, problem, innerException) { }
}
