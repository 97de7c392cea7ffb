using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>Image features for evaluation (<see cref="ResNet18FeatureExtractor"/>, <see cref="PixelFeatureExtractor"/>, or anything deterministic).</summary>
public interface IImageFeatureExtractor
{
    /// <summary>One feature vector per image of a uint8 [B, 3, H, W] CPU tensor.</summary>
    float[][] Extract(Tensor images);
}
