namespace Matryoshka.IO;

/// <summary>
/// A checkpoint made of safetensors files cannot be used: its shard index (<c>model.safetensors.index.json</c>) is
/// malformed, a shard it names is missing or lacks a tensor the index puts there, or a folder holds no weights. The
/// message names the file and the problem.
/// </summary>
public sealed class SafetensorsCheckpointException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with the problem found.</summary>
    public SafetensorsCheckpointException(string filePath, string problem) : base(filePath, problem) { }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public SafetensorsCheckpointException(string filePath, string problem, Exception innerException) : base(filePath, problem, innerException) { }
}
