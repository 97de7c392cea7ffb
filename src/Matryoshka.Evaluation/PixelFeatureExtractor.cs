using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>
/// Pixel-space features for caption retrieval: each image block-averaged to <see cref="Side"/>² RGB (colour layout,
/// not texture), scaled to [0, 1], minus its own mean, so cosine similarity is the Pearson correlation of two
/// images' coarse colour layouts and the white background common to all emoji does not dominate it.
/// </summary>
public sealed class PixelFeatureExtractor : IImageFeatureExtractor
{
    /// <summary>Side of the block-averaged image.</summary>
    public const int Side = 16;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The images are not uint8 or their sides are not multiples of <see cref="Side"/>.</exception>
    public float[][] Extract(Tensor images)
    {
        using var scope = NewDisposeScope();
        long count = images.shape[0], height = images.shape[2], width = images.shape[3];
        if (images.dtype != ScalarType.Byte || height % Side != 0 || width % Side != 0)
            throw new ArgumentException($"pixel features need uint8 images whose sides are multiples of {Side}; got {images.dtype} [{string.Join(", ", images.shape)}]");
        var coarse = nn.functional.avg_pool2d(images.to_type(ScalarType.Float32) / 255, new long[] { height / Side, width / Side }).reshape(count, -1);
        var centred = (coarse - coarse.mean(new long[] { 1 }, keepdim: true)).contiguous();
        var values = centred.data<float>().ToArray();
        int dimension = (int)centred.shape[1];
        return Enumerable.Range(0, (int)count).Select(i => values.AsSpan(i * dimension, dimension).ToArray()).ToArray();
    }
}
