using Matryoshka.Evaluation;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Evaluation;

/// <summary>ResNet18 features of uint8 image tensors.</summary>
internal sealed class ResNet18FeatureExtractor : IImageFeatureExtractor, IDisposable
{
    private readonly ResNet18Features _features = new();

    public float[][] Extract(Tensor images) =>
        _features.Extract(images.contiguous().data<byte>().ToArray(), (int)images.shape[0], (int)images.shape[2], (int)images.shape[3]);

    public void Dispose() => _features.Dispose();
}
