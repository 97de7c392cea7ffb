using Matryoshka.IO;

namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// A vocabulary file Matryoshka refuses to load: the message names the file and, where the problem is on one line,
/// that line (1-based) and what is wrong with it.
/// </summary>
public sealed class VocabularyFormatException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public VocabularyFormatException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception for a problem on line <paramref name="lineNumber"/> (1-based).</summary>
    public VocabularyFormatException(string filePath, int lineNumber, string problem)
        : base(filePath, $"line {lineNumber}: {problem}")
    {
        LineNumber = lineNumber;
    }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public VocabularyFormatException(string filePath, string problem, Exception innerException)
        : base(filePath, problem, innerException) { }

    /// <summary>The 1-based line the problem is on, or null when it concerns the whole file.</summary>
    public int? LineNumber { get; }
}
