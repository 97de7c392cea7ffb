namespace Matryoshka.Evaluation;

/// <summary>Where ResNet18's files are and how ONNX Runtime runs them.</summary>
public sealed record ResNet18FeaturesOptions
{
    /// <summary>The folder that holds ResNet18.onnx and ResNetPreprocess.onnx; default: models/resnet18 next to the application (where the build puts them).</summary>
    public string? ModelFolder { get; init; }

    /// <summary>ONNX Runtime's intra-op threads (its default when null).</summary>
    public int? IntraOpThreads { get; init; }
}
