using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Tests.Imaging;

/// <summary>Small deterministic images and their encoded bytes for the imaging tests.</summary>
public static class TestImages
{
    public static Image<Rgb24> Random(int width, int height, int seed)
    {
        var bytes = new byte[width * height * 3];
        new Random(seed).NextBytes(bytes);
        return Image.LoadPixelData<Rgb24>(bytes, width, height);
    }

    public static byte[] Pixels(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    public static byte[] Encode(Image<Rgb24> image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static byte[] Png(int width, int height, int seed)
    {
        using var image = Random(width, height, seed);
        return Encode(image, new PngEncoder());
    }
}
