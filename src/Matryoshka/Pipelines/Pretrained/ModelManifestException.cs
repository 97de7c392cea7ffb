namespace Matryoshka.Pipelines.Pretrained;

/// <summary>A model manifest (<c>matryoshka.json</c>) is missing or invalid; the message names the file and the field.</summary>
public sealed class ModelManifestException : MatryoshkaException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public ModelManifestException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner ?? new InvalidDataException(problem)) => Path = path;

    /// <summary>The manifest file.</summary>
    public string Path { get; }
}
