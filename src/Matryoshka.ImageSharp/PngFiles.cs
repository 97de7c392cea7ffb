using Matryoshka.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Matryoshka.ImageSharp;

/// <summary>Saves tensors and images as 8-bit RGB PNG files.</summary>
public static class PngFiles
{
    private static readonly PngEncoder Encoder = new()
    {
        ColorType = PngColorType.Rgb,
        BitDepth = PngBitDepth.Bit8,
    };

    /// <summary>
    /// Saves the single image of a [C, H, W] or [1, C, H, W] tensor (values in [−1, 1]) to
    /// <paramref name="path"/>, replacing it only once the whole file is written.
    /// </summary>
    /// <exception cref="ImageTensorException">Wrong shape or dtype, a batch of several images, or NaN values.</exception>
    public static void SaveAsPng(Tensor image, string path, PixelConvention convention)
    {
        // Convert first: a bad tensor fails before anything touches the disk.
        using var converted = TensorImages.ToImage(image, convention);
        SaveAsPng(converted, path);
    }

    /// <summary>Writes the single image of a [C, H, W] or [1, C, H, W] tensor to <paramref name="stream"/> as PNG.</summary>
    /// <exception cref="ImageTensorException">Wrong shape or dtype, a batch of several images, or NaN values.</exception>
    public static void SaveAsPng(Tensor image, Stream stream, PixelConvention convention)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var converted = TensorImages.ToImage(image, convention);
        SaveAsPng(converted, stream);
    }

    /// <summary>The single image of a [C, H, W] or [1, C, H, W] tensor as PNG bytes (for HTTP responses and data URIs).</summary>
    /// <exception cref="ImageTensorException">Wrong shape or dtype, a batch of several images, or NaN values.</exception>
    public static byte[] ToPngBytes(Tensor image, PixelConvention convention)
    {
        using var stream = new MemoryStream();
        SaveAsPng(image, stream, convention);
        return stream.ToArray();
    }

    /// <summary>Saves <paramref name="image"/> to <paramref name="path"/>, replacing it only once the whole file is written.</summary>
    public static void SaveAsPng(Image<Rgb24> image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, stream => image.Save(stream, Encoder));
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="stream"/> as 8-bit RGB PNG.</summary>
    public static void SaveAsPng(Image<Rgb24> image, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(stream);
        image.Save(stream, Encoder);
    }
}
