using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// How far a high-resolution render is from a low-resolution reference: the render is average-pooled (each
/// reference pixel is the exact mean of its k × k block, no rounding) to the reference's size, then the mean
/// absolute difference over all pixels and the three RGB channels is taken, on the 0–255 scale.
/// </summary>
internal static class PooledDifference
{
    /// <summary>The mean absolute difference (0–255) between <paramref name="image"/> pooled to the size of <paramref name="reference"/> and the reference.</summary>
    /// <exception cref="ArgumentException">The image's size is not the same whole multiple of the reference's size in both directions.</exception>
    public static double Compute(Image<Rgb24> image, Image<Rgb24> reference)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(reference);
        int factor = image.Width / reference.Width;
        if (factor < 1 || image.Width != factor * reference.Width || image.Height != factor * reference.Height)
            throw new ArgumentException(
                $"a {image.Width}×{image.Height} image does not pool to {reference.Width}×{reference.Height} by a whole factor", nameof(image));

        var rows = new Rgb24[factor][];
        for (int i = 0; i < factor; i++) rows[i] = new Rgb24[image.Width];
        var referenceRow = new Rgb24[reference.Width];
        double blockArea = factor * factor, total = 0;
        for (int y = 0; y < reference.Height; y++)
        {
            for (int i = 0; i < factor; i++)
                image.DangerousGetPixelRowMemory(y * factor + i).Span.CopyTo(rows[i]);
            reference.DangerousGetPixelRowMemory(y).Span.CopyTo(referenceRow);
            for (int x = 0; x < reference.Width; x++)
            {
                long r = 0, g = 0, b = 0;
                foreach (var row in rows)
                {
                    for (int j = x * factor; j < (x + 1) * factor; j++)
                    {
                        r += row[j].R;
                        g += row[j].G;
                        b += row[j].B;
                    }
                }
                var expected = referenceRow[x];
                total += Math.Abs(r / blockArea - expected.R) + Math.Abs(g / blockArea - expected.G) + Math.Abs(b / blockArea - expected.B);
            }
        }
        return total / (3.0 * reference.Width * reference.Height);
    }
}
