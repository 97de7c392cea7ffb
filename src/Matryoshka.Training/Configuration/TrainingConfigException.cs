using Matryoshka.IO;

namespace Matryoshka.Training.Configuration;

/// <summary>A training configuration file is unreadable or holds an invalid value (the message names the field).</summary>
public sealed class TrainingConfigException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public TrainingConfigException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public TrainingConfigException(string filePath, string problem, Exception innerException) : base(filePath, problem, innerException) { }
}
