using Matryoshka.IO;

namespace Matryoshka.ImageSharp.Training;

/// <summary>A TSV index that <see cref="TsvIndexDataset"/> refuses; the message names the file, the line and the problem.</summary>
public sealed class TsvIndexFormatException : InvalidFileException
{
    /// <summary>Creates the exception for line <paramref name="lineNumber"/> (1-based; null for the file as a whole).</summary>
    public TsvIndexFormatException(string filePath, int? lineNumber, string problem)
        : base(filePath, lineNumber is null ? problem : $"line {lineNumber}: {problem}")
    {
        LineNumber = lineNumber;
    }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public TsvIndexFormatException(string filePath, int? lineNumber, string problem, Exception innerException)
        : base(filePath, lineNumber is null ? problem : $"line {lineNumber}: {problem}", innerException)
    {
        LineNumber = lineNumber;
    }

    /// <summary>The 1-based line the problem is on (the header is line 1), or null when it concerns the whole file.</summary>
    public int? LineNumber { get; }
}
