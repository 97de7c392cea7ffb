using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>
/// A sharpness figure: the variance of the 4-neighbour Laplacian of each image's luma (BT.601 weights, 0…1), over the
/// image's interior. Fine detail (edges, texture) raises it; blur, such as upscaling a smaller image, lowers it, and
/// noise raises it too — so compare it with the same figure of real images, where a ratio near 1 means the detail is
/// as fine as the real images' (neither blurred nor grainy).
/// </summary>
public static class LaplacianSharpness
{
    /// <summary>The figure of each image of <paramref name="images"/> (uint8 RGB, [B, 3, H, W], H and W at least 3).</summary>
    /// <exception cref="ArgumentException">The images are not uint8 RGB or are smaller than 3×3.</exception>
    public static double[] Measure(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dtype != ScalarType.Byte || images.dim() != 4 || images.shape[1] != 3 || images.shape[2] < 3 || images.shape[3] < 3)
            throw new ArgumentException($"sharpness needs uint8 RGB images [B, 3, H ≥ 3, W ≥ 3]; got {images.dtype} [{string.Join(", ", images.shape)}]");
        using var scope = NewDisposeScope();
        var rgb = images.to_type(ScalarType.Float64) / 255.0;
        var luma = (0.299 * rgb[.., 0] + 0.587 * rgb[.., 1] + 0.114 * rgb[.., 2]).unsqueeze(1);
        var kernel = tensor(new double[] { 0, 1, 0, 1, -4, 1, 0, 1, 0 }, new long[] { 1, 1, 3, 3 }, dtype: ScalarType.Float64, device: images.device);
        var laplacian = nn.functional.conv2d(luma, kernel).flatten(1);
        return laplacian.var(1, unbiased: false).cpu().data<double>().ToArray();
    }
}
