using static TorchSharp.torch;

namespace Matryoshka.Cli.Evaluation;

/// <summary>Image features for evaluation (ResNet18 in the CLI; anything deterministic in tests).</summary>
internal interface IImageFeatureExtractor
{
    /// <summary>One feature vector per image of a uint8 [B, 3, H, W] CPU tensor.</summary>
    float[][] Extract(Tensor images);
}
