namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A PyTorch checkpoint (.pth) that Matryoshka refuses to read: truncated or malformed zip or pickle
/// data, storages that do not match the tensors that use them, or content outside what a checkpoint
/// legitimately holds. The message names the file and the exact problem.
/// </summary>
public class CheckpointFormatException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public CheckpointFormatException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public CheckpointFormatException(string filePath, string problem, Exception innerException) : base(filePath, problem, innerException) { }
}
