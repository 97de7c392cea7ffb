namespace Matryoshka.IO;

/// <summary>
/// Base of the errors for a file Matryoshka refuses to read: the message is "file: problem", and both parts are
/// available separately.
/// </summary>
public abstract class InvalidFileException : MatryoshkaException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    protected InvalidFileException(string filePath, string problem)
        : base($"{filePath}: {problem}")
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    protected InvalidFileException(string filePath, string problem, Exception innerException)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file (or stream description) the problem is in.</summary>
    public string FilePath { get; }

    /// <summary>The problem alone, without the file name.</summary>
    public string Problem { get; }
}
