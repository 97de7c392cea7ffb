using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.ImageSharp;

/// <summary>
/// Flattens transparent images onto a solid background, so that models trained on RGB never see the colour that
/// happens to be stored under fully transparent pixels (often black, which would give black fringes and backgrounds).
/// </summary>
public static class AlphaCompositing
{
    /// <summary>
    /// Composites <paramref name="image"/> (straight, non-premultiplied alpha, as PNG stores it) over
    /// <paramref name="background"/>: each channel becomes round((c·α + b·(255 − α)) / 255) in exact integer
    /// arithmetic, so α = 255 keeps the pixel and α = 0 gives the background. The caller owns the new image.
    /// </summary>
    public static Image<Rgb24> OntoBackground(Image<Rgba32> image, Rgb24 background)
    {
        ArgumentNullException.ThrowIfNull(image);
        var flattened = new Image<Rgb24>(image.Width, image.Height);
        try
        {
            image.ProcessPixelRows(flattened, (source, target) =>
            {
                for (int y = 0; y < source.Height; y++)
                {
                    var from = source.GetRowSpan(y);
                    var to = target.GetRowSpan(y);
                    for (int x = 0; x < from.Length; x++)
                    {
                        var pixel = from[x];
                        to[x] = new Rgb24(
                            Blend(pixel.R, background.R, pixel.A),
                            Blend(pixel.G, background.G, pixel.A),
                            Blend(pixel.B, background.B, pixel.A));
                    }
                }
            });
            return flattened;
        }
        catch
        {
            flattened.Dispose();
            throw;
        }
    }

    /// <summary>Composites <paramref name="image"/> over opaque white (255, 255, 255); see <see cref="OntoBackground"/>.</summary>
    public static Image<Rgb24> OntoWhite(Image<Rgba32> image) => OntoBackground(image, new Rgb24(255, 255, 255));

    /// <summary>round((c·α + b·(255 − α)) / 255) for 8-bit values; the sum is at most 65,025, so integers are exact.</summary>
    internal static byte Blend(byte color, byte background, byte alpha) =>
        (byte)((color * alpha + background * (255 - alpha) + 127) / 255);
}
