namespace Matryoshka.Training.Data;

/// <summary>
/// A dataset as a whole cannot feed training: it is empty, its folder is missing, every sample of an epoch failed,
/// it yields too few samples for one batch, or its samples disagree in shape. The message names the problem.
/// </summary>
public sealed class TrainingDataException : MatryoshkaException
{
    /// <summary>Creates an exception with a message that names the problem.</summary>
    public TrainingDataException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the underlying cause.</summary>
    public TrainingDataException(string message, Exception innerException) : base(message, innerException) { }
}
