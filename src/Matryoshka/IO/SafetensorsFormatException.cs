namespace Matryoshka.IO;

/// <summary>
/// A safetensors file (or stream) that Matryoshka refuses to read, or tensors it cannot write in the
/// format. The message names the file and the exact problem: which tensor, which field, which values.
/// </summary>
public sealed class SafetensorsFormatException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public SafetensorsFormatException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public SafetensorsFormatException(string filePath, string problem, Exception innerException) : base(filePath, problem, innerException) { }
}
