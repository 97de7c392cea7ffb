using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>
/// Position-free features of an object on white: the histogram of its pixels' colours (4 bins per channel, 64 in
/// all), each pixel weighted by how far it is from white, normalised to sum 1. Moving, turning or shrinking an object
/// leaves it nearly unchanged, which coarse pixel layouts (<see cref="PixelFeatureExtractor"/>) do not; so it tells
/// whether the frames of a clip show the same object.
/// </summary>
public sealed class ColourHistogramFeatureExtractor : IImageFeatureExtractor
{
    /// <summary>Bins per colour channel.</summary>
    public const int Bins = 4;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The images are not uint8 RGB [N, 3, H, W].</exception>
    public float[][] Extract(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dtype != ScalarType.Byte || images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"colour histograms need uint8 RGB images [N, 3, H, W]; got {images.dtype} [{string.Join(", ", images.shape)}]");
        using var scope = NewDisposeScope();
        long count = images.shape[0];
        var values = images.to_type(ScalarType.Int64).reshape(count, 3, -1);
        var bins = (values * Bins).floor_divide(256);                                         // [N, 3, P] in 0 … Bins−1
        var index = bins[.., 0] * Bins * Bins + bins[.., 1] * Bins + bins[.., 2];            // [N, P]
        var weight = (255 - values.min(1).values).to_type(ScalarType.Float32) / 255;        // 0 for white
        var histogram = zeros(new long[] { count, Bins * Bins * Bins }, dtype: ScalarType.Float32).scatter_add(1, index, weight);
        histogram = histogram / histogram.sum(1, keepdim: true).clamp_min(1e-12);
        var data = histogram.contiguous().data<float>().ToArray();
        int width = Bins * Bins * Bins;
        return Enumerable.Range(0, (int)count).Select(i => data.AsSpan(i * width, width).ToArray()).ToArray();
    }
}
