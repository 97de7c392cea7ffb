using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Tests.Training.Data;

/// <summary>Small image files for the image dataset tests.</summary>
internal static class TrainingImageFiles
{
    public static Image<Rgba32> Solid(int width, int height, Rgba32 color)
    {
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
                rows.GetRowSpan(y).Fill(color);
        });
        return image;
    }

    /// <summary>Three equal stripes, red, green and blue, side by side (vertical stripes) or stacked (horizontal).</summary>
    public static Image<Rgba32> Stripes(int width, int height, bool vertical)
    {
        var colors = new[] { new Rgba32(255, 0, 0), new Rgba32(0, 255, 0), new Rgba32(0, 0, 255) };
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    row[x] = colors[vertical ? x * 3 / width : y * 3 / height];
            }
        });
        return image;
    }

    public static byte[] Png(Image<Rgba32> image)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        return stream.ToArray();
    }

    public static byte[] Jpeg(Image<Rgba32> image)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new JpegEncoder { Quality = 95 });
        return stream.ToArray();
    }

    public static string WritePng(TempFolder folder, string name, Image<Rgba32> image)
    {
        var path = folder.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Png(image));
        image.Dispose();
        return path;
    }
}
