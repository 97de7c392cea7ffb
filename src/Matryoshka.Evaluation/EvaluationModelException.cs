namespace Matryoshka.Evaluation;

/// <summary>An evaluation model file (ResNet18's ONNX graphs) is missing, unreadable or not the expected graph.</summary>
public sealed class EvaluationModelException : MatryoshkaException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public EvaluationModelException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner ?? new FileNotFoundException(problem, path)) => Path = path;

    /// <summary>The model file.</summary>
    public string Path { get; }
}
