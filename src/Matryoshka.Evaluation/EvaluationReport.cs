namespace Matryoshka.Evaluation;

/// <summary>The figures of one evaluation of a text-to-image model (<see cref="GenerationEvaluator"/>).</summary>
/// <param name="Top1">Share of retrieval queries whose generated image's nearest real image is the captioned one.</param>
/// <param name="Top5">Share whose captioned image is among the 5 nearest.</param>
/// <param name="Queries">Retrieval queries.</param>
/// <param name="FdGenerated">FD-ResNet18 between the generated images and the real images of the same captions.</param>
/// <param name="FdRealHalves">FD-ResNet18 between two disjoint halves of the real images (the floor at this sample size).</param>
/// <param name="FdImages">Generated images in the FD (and real images on the other side).</param>
/// <param name="RealHalfSize">Images in each real half.</param>
/// <param name="Gallery">Real images searched by retrieval.</param>
/// <param name="Misses">Retrieval queries outside the top 5: caption and the rank of the captioned image (1-based).</param>
/// <param name="Settings">How the images were sampled.</param>
/// <param name="GenerationSeconds">Wall time spent generating.</param>
/// <param name="PixelTop1">Top-1 of the same retrieval on coarse pixel features (<see cref="PixelFeatureExtractor"/>).</param>
/// <param name="PixelTop5">Top-5 on coarse pixel features.</param>
/// <param name="FdRealSameSize">FD-ResNet18 between the real images of the FD's captions and as many other real images (the
/// floor at the FD's own sample size); null when the set has too few images left over.</param>
public sealed record EvaluationReport(
    double Top1, double Top5, int Queries, double FdGenerated, double FdRealHalves, int FdImages, int RealHalfSize, int Gallery,
    IReadOnlyList<RetrievalMiss> Misses, EvaluationSettings Settings, double GenerationSeconds, double PixelTop1, double PixelTop5,
    double? FdRealSameSize = null)
{
    /// <summary>Mean <see cref="LaplacianSharpness"/> of the FD's generated images.</summary>
    public double SharpnessGenerated { get; init; }

    /// <summary>Mean <see cref="LaplacianSharpness"/> of every real image (the level of detail the generated images should reach).</summary>
    public double SharpnessReal { get; init; }

    /// <summary><see cref="SharpnessGenerated"/> / <see cref="SharpnessReal"/>: below 1 blurrier than the real images, above 1 grainier.</summary>
    public double SharpnessRatio => SharpnessReal > 0 ? SharpnessGenerated / SharpnessReal : double.NaN;
}

/// <summary>A caption whose generated image did not retrieve its real image among the nearest 5.</summary>
/// <param name="Caption">The caption.</param>
/// <param name="Rank">The rank of the captioned image (1-based).</param>
public sealed record RetrievalMiss(string Caption, int Rank);
