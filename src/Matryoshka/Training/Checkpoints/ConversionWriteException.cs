namespace Matryoshka.Training.Checkpoints;

/// <summary>
/// <see cref="SafetensorsConversion.Convert"/> read its input but could not write the output (a full disk, no
/// permission, a tensor safetensors cannot hold); the cause is the inner exception.
/// </summary>
public sealed class ConversionWriteException : MatryoshkaException
{
    /// <summary>Creates the exception for the output <paramref name="path"/>.</summary>
    public ConversionWriteException(string path, Exception innerException) : base($"cannot write {path}: {innerException.Message}", innerException) =>
        Path = path;

    /// <summary>The output file.</summary>
    public string Path { get; }
}
