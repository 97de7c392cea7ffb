using Matryoshka.IO;

namespace Matryoshka.Training.Data;

/// <summary>
/// An IDX file (the MNIST / Fashion-MNIST format) that Matryoshka refuses to read: wrong magic number or element
/// type, impossible dimensions, a size over the limit, truncated or trailing data, or corrupt gzip data.
/// </summary>
public sealed class IdxFormatException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public IdxFormatException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public IdxFormatException(string filePath, string problem, Exception innerException) : base(filePath, problem, innerException) { }
}
