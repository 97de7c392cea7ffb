using Matryoshka.IO;

namespace Matryoshka.Text.MiniLM;

/// <summary>
/// The all-MiniLM-L6-v2 model or vocabulary file is missing, unreadable, or not the model this encoder expects
/// (the message names the file and the problem).
/// </summary>
public sealed class MiniLMModelFileException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public MiniLMModelFileException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public MiniLMModelFileException(string filePath, string problem, Exception innerException) : base(filePath, problem, innerException) { }
}
