namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A checkpoint cannot be exported: the source is of an unknown kind or has no model config, the output may not be
/// written, or the archive would exceed what the writer supports. The message names the file and the problem.
/// (Weights whose keys or shapes differ from the architecture raise <see cref="Weights.WeightsMismatchException"/>.)
/// </summary>
public sealed class CheckpointExportException : MatryoshkaException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public CheckpointExportException(string filePath, string problem) : base($"{filePath}: {problem}")
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file the problem concerns.</summary>
    public string FilePath { get; }

    /// <summary>The problem alone, without the file name.</summary>
    public string Problem { get; }
}
