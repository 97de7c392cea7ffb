using Matryoshka.Training.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// Turns one image file into a <see cref="TrainingSample"/> following <see cref="ImageDatasetOptions"/>. Every way an
/// untrusted file can be refused surfaces as <see cref="InvalidTrainingSampleException"/>.
/// </summary>
internal sealed class ImageSampleReader
{
    /// <summary>Most elongated accepted image (long side : short side); beyond it the resize would be mostly discarded work.</summary>
    public const int MaxAspectRatio = 64;

    private readonly ImageDatasetOptions _options;
    private readonly SafeImageDecoder _decoder;
    private readonly PixelNormalization _normalization;

    public ImageSampleReader(ImageDatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _decoder = new SafeImageDecoder(options.Decoder);
        _normalization = options.Convention.ToNormalization();
    }

    public TrainingSample Read(int index, string path, IReadOnlyList<string> captions)
    {
        Image<Rgba32> decoded;
        try
        {
            decoded = _decoder.Load<Rgba32>(path);
        }
        catch (ImageDecodeException e)
        {
            throw new InvalidTrainingSampleException(index, path, e.Reason, e) { Category = SkipCategories.Of(e.Failure) };
        }

        using (decoded)
        {
            long longSide = Math.Max(decoded.Width, decoded.Height), shortSide = Math.Min(decoded.Width, decoded.Height);
            if (longSide > shortSide * MaxAspectRatio)
                throw new InvalidTrainingSampleException(index, path,
                    $"the image is {decoded.Width}×{decoded.Height}, more elongated than {MaxAspectRatio}:1; a centre crop would keep almost nothing of it.")
                { Category = SkipCategories.ImageTooElongated };
            using var opaque = AlphaCompositing.OntoBackground(decoded, _options.Background);
            ResizeAndCrop(opaque, _options.Resolution);
            var pixels = ToChw(opaque, _options.Channels, _normalization);
            return new TrainingSample(pixels, _options.Channels, _options.Resolution, _options.Resolution, captions, null);
        }
    }

    /// <summary>
    /// Resizes <paramref name="image"/> in place so its short side is <paramref name="resolution"/> (long side rounded to
    /// the nearest pixel), keeping the central <paramref name="resolution"/>² square; the crop starts at
    /// ⌊(long − resolution) / 2⌋. Only the kept square is computed.
    /// </summary>
    internal static void ResizeAndCrop(Image<Rgb24> image, int resolution)
    {
        int width = image.Width, height = image.Height, shortSide = Math.Min(width, height);
        if (width == resolution && height == resolution)
            return;
        if (shortSide == resolution)
        {
            image.Mutate(x => x.Crop(new Rectangle((width - resolution) / 2, (height - resolution) / 2, resolution, resolution)));
            return;
        }

        int scaledWidth = width <= height ? resolution : ScaleLongSide(width, shortSide, resolution);
        int scaledHeight = width <= height ? ScaleLongSide(height, shortSide, resolution) : resolution;
        var options = new ResizeOptions
        {
            Size = new Size(resolution, resolution),
            Mode = ResizeMode.Manual,
            // The whole resized image, shifted so the square kept by the crop lands on the output.
            TargetRectangle = new Rectangle(-(scaledWidth - resolution) / 2, -(scaledHeight - resolution) / 2, scaledWidth, scaledHeight),
            Sampler = shortSide > resolution ? KnownResamplers.Lanczos3 : KnownResamplers.Bicubic,
            Compand = false,
        };
        image.Mutate(x => x.Resize(options));
    }

    private static int ScaleLongSide(int longSide, int shortSide, int resolution) =>
        (int)Math.Max(resolution, Math.Round((double)longSide * resolution / shortSide, MidpointRounding.AwayFromZero));

    /// <summary>The channel-major values of a square <paramref name="image"/>, gray (BT.709 luminance) for one channel.</summary>
    internal static float[] ToChw(Image<Rgb24> image, int channels, PixelNormalization normalization)
    {
        int width = image.Width, plane = width * image.Height;
        var values = new float[channels * plane];
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                int start = y * width;
                for (int x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    if (channels == 1)
                    {
                        L8 gray = default;
                        gray.FromRgb24(p);
                        values[start + x] = normalization.Normalize(gray.PackedValue);
                    }
                    else
                    {
                        values[start + x] = normalization.Normalize(p.R);
                        values[plane + start + x] = normalization.Normalize(p.G);
                        values[2 * plane + start + x] = normalization.Normalize(p.B);
                    }
                }
            }
        });
        return values;
    }
}
