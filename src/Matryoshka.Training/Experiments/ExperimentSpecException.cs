using Matryoshka.IO;

namespace Matryoshka.Training.Experiments;

/// <summary>An experiment spec is unreadable or holds an invalid value (the message names the field).</summary>
public sealed class ExperimentSpecException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public ExperimentSpecException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public ExperimentSpecException(string filePath, string problem, Exception innerException) : base(filePath, problem, innerException) { }
}
