using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Cli.Plotting;

/// <summary>Pixel-level drawing on an RGB image (ImageSharp alone draws no lines): clipped to the image.</summary>
internal static class Raster
{
    /// <summary>A one-pixel line (Bresenham).</summary>
    public static void Line(Image<Rgb24> image, int x0, int y0, int x1, int y1, Rgb24 color)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, error = dx + dy;
        while (true)
        {
            Set(image, x0, y0, color);
            if (x0 == x1 && y0 == y1) return;
            int twice = 2 * error;
            if (twice >= dy) { error += dy; x0 += sx; }
            if (twice <= dx) { error += dx; y0 += sy; }
        }
    }

    /// <summary>A line <paramref name="width"/> pixels wide (the one-pixel line repeated across a square pen).</summary>
    public static void ThickLine(Image<Rgb24> image, int x0, int y0, int x1, int y1, Rgb24 color, int width)
    {
        int low = -(width - 1) / 2, high = width / 2;
        for (int ox = low; ox <= high; ox++)
            for (int oy = low; oy <= high; oy++)
                Line(image, x0 + ox, y0 + oy, x1 + ox, y1 + oy, color);
    }

    /// <summary>A filled rectangle with its top-left corner at (x, y).</summary>
    public static void Fill(Image<Rgb24> image, int x, int y, int width, int height, Rgb24 color)
    {
        for (int j = y; j < y + height; j++)
            for (int i = x; i < x + width; i++)
                Set(image, i, j, color);
    }

    public static void Set(Image<Rgb24> image, int x, int y, Rgb24 color)
    {
        if (x >= 0 && x < image.Width && y >= 0 && y < image.Height) image[x, y] = color;
    }
}
