using SixLabors.ImageSharp.PixelFormats;
using Matryoshka.ImageSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// Turns one RGBA emoji PNG into the training image: decoded under limits, alpha composited onto white (straight
/// alpha, exact integer blend; see <see cref="AlphaCompositing"/>), padded to a square with white if it is not one,
/// resized when the side differs (box filter when shrinking, bicubic when enlarging), and encoded as 8-bit RGB PNG.
/// Compositing comes before resizing, so no filter ever mixes in the colour hidden under transparent pixels.
/// </summary>
internal sealed class EmojiImageRenderer(int resolution, long maxImageBytes)
{
    private readonly SafeImageDecoder _decoder = new(new SafeImageDecoderOptions
    {
        MaxFileBytes = maxImageBytes,
        MaxPixels = 1024L * 1024,
        AllocationLimitMegabytes = 64,
    });

    /// <summary>The PNG bytes of the rendered image.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a decodable image within the limits.</exception>
    public byte[] Render(byte[] image, string sourceName)
    {
        using var input = new MemoryStream(image, writable: false);
        using var rgba = _decoder.Load<Rgba32>(input, sourceName);
        using var rgb = AlphaCompositing.OntoWhite(rgba);
        if (rgb.Width != resolution || rgb.Height != resolution)
        {
            bool shrinking = Math.Max(rgb.Width, rgb.Height) > resolution;
            rgb.Mutate(context => context.Resize(new ResizeOptions
            {
                Size = new Size(resolution, resolution),
                Mode = ResizeMode.Pad,
                PadColor = Color.White,
                Sampler = shrinking ? KnownResamplers.Box : KnownResamplers.Bicubic,
            }));
        }
        using var output = new MemoryStream();
        PngFiles.SaveAsPng(rgb, output);
        return output.ToArray();
    }
}
