using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>
/// Bilinear resampling of image planes by PyTorch's own kernel: TorchSharp's
/// <c>interpolate(mode: Bilinear, align_corners: false)</c> (half-pixel centres, clamped edges, no antialiasing), in
/// float32 on the CPU.
/// </summary>
internal static class BilinearResize
{
    /// <summary>
    /// Resizes <paramref name="channels"/> planes [channels, height, width] (row-major) into <paramref name="target"/>,
    /// [channels, targetHeight, targetWidth].
    /// </summary>
    public static void Planes(float[] source, int channels, int height, int width, Span<float> target, int targetHeight, int targetWidth)
    {
        using var scope = NewDisposeScope();
        var planes = tensor(source, new long[] { 1, channels, height, width }, dtype: ScalarType.Float32, device: CPU);
        var resized = nn.functional.interpolate(planes, new long[] { targetHeight, targetWidth },
            mode: InterpolationMode.Bilinear, align_corners: false, antialias: false);
        resized.contiguous().data<float>().CopyTo(target);
    }
}
