using Matryoshka.IO;

namespace Matryoshka.Training.Checkpoints;

/// <summary>A training checkpoint is missing a part, truncated, corrupt or from an unknown format version.</summary>
public sealed class TrainingCheckpointException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public TrainingCheckpointException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public TrainingCheckpointException(string filePath, string problem, Exception innerException) : base(filePath, problem, innerException) { }
}
