using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary><see cref="ResNet18Features"/> of uint8 image tensors.</summary>
public sealed class ResNet18FeatureExtractor : IImageFeatureExtractor, IDisposable
{
    private readonly ResNet18Features _features;

    /// <summary>Loads the ResNet18 graphs.</summary>
    /// <exception cref="EvaluationModelException">A model file is missing or unreadable.</exception>
    public ResNet18FeatureExtractor(ResNet18FeaturesOptions? options = null) => _features = new ResNet18Features(options);

    /// <inheritdoc />
    public float[][] Extract(Tensor images) =>
        _features.Extract(images.contiguous().data<byte>().ToArray(), (int)images.shape[0], (int)images.shape[2], (int)images.shape[3]);

    /// <summary>Releases the ONNX sessions.</summary>
    public void Dispose() => _features.Dispose();
}
