namespace Matryoshka.Evaluation;

/// <summary>
/// Bilinear resampling of one plane with half-pixel centres and clamped edges (PyTorch's
/// <c>interpolate(mode="bilinear", align_corners=False)</c> without antialiasing — exact for the upscaling used here).
/// </summary>
internal static class BilinearResize
{
    public static void Plane(ReadOnlySpan<float> source, int height, int width, Span<float> target, int targetHeight, int targetWidth)
    {
        for (int y = 0; y < targetHeight; y++)
        {
            var (y0, y1, wy) = Taps(y, height, targetHeight);
            for (int x = 0; x < targetWidth; x++)
            {
                var (x0, x1, wx) = Taps(x, width, targetWidth);
                float top = source[y0 * width + x0] * (1 - wx) + source[y0 * width + x1] * wx;
                float bottom = source[y1 * width + x0] * (1 - wx) + source[y1 * width + x1] * wx;
                target[y * targetWidth + x] = top * (1 - wy) + bottom * wy;
            }
        }
    }

    // The source coordinate of target pixel i's centre, its two neighbours and the weight of the second.
    private static (int Low, int High, float Weight) Taps(int i, int size, int targetSize)
    {
        float position = Math.Max((i + 0.5f) * size / targetSize - 0.5f, 0);
        int low = Math.Min((int)position, size - 1);
        int high = Math.Min(low + 1, size - 1);
        return (low, high, position - low);
    }
}
