using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Cli.Plotting;

/// <summary>One curve of a <see cref="LineChart"/>: a line through <paramref name="Line"/> and a small square at each of <paramref name="Points"/>.</summary>
internal sealed record ChartSeries(string Name, Rgb24 Color, IReadOnlyList<(double X, double Y)> Line, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A labelled line chart as a PNG-ready image: title, linear axes with round-number ticks and their values, axis
/// labels and a legend, in the built-in <see cref="BitmapFont"/>.
/// </summary>
internal static class LineChart
{
    public const int Width = 820, Height = 500;
    private const int Left = 80, Right = 20, Top = 56, Bottom = 56;
    private static readonly Rgb24 Ink = new(40, 40, 40), Grid = new(225, 225, 225);

    /// <summary>Matplotlib's first colours, one per series.</summary>
    public static readonly Rgb24[] Palette = { new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189) };

    public static Image<Rgb24> Draw(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        var image = new Image<Rgb24>(Width, Height, new Rgb24(255, 255, 255));
        BitmapFont.Draw(image, title, (Width - BitmapFont.Measure(title, 2)) / 2, 8, Ink, 2);
        BitmapFont.Draw(image, yLabel, 8, Top - 18, Ink);
        BitmapFont.Draw(image, xLabel, Left + (Width - Left - Right - BitmapFont.Measure(xLabel, 1)) / 2, Height - 16, Ink);

        var all = series.SelectMany(s => s.Line.Concat(s.Points)).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        if (all.Length == 0) return image;
        var (xLow, xHigh, xStep) = Ticks(Math.Min(0, all.Min(p => p.X)), all.Max(p => p.X));
        var (yLow, yHigh, yStep) = Ticks(all.Min(p => p.Y), all.Max(p => p.Y));
        int plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        int X(double x) => Left + (int)Math.Round((x - xLow) / (xHigh - xLow) * plotWidth);
        int Y(double y) => Top + plotHeight - (int)Math.Round((y - yLow) / (yHigh - yLow) * plotHeight);

        for (double x = xLow; x <= xHigh + xStep / 2; x += xStep)
        {
            Raster.Line(image, X(x), Top, X(x), Top + plotHeight, Grid);
            var label = Label(x);
            BitmapFont.Draw(image, label, X(x) - BitmapFont.Measure(label, 1) / 2, Top + plotHeight + 6, Ink);
        }
        for (double y = yLow; y <= yHigh + yStep / 2; y += yStep)
        {
            Raster.Line(image, Left, Y(y), Left + plotWidth, Y(y), Grid);
            var label = Label(y);
            BitmapFont.Draw(image, label, Left - 6 - BitmapFont.Measure(label, 1), Y(y) - BitmapFont.GlyphHeight / 2, Ink);
        }
        Raster.Line(image, Left, Top, Left, Top + plotHeight, Ink);
        Raster.Line(image, Left, Top + plotHeight, Left + plotWidth, Top + plotHeight, Ink);

        foreach (var s in series)
        {
            var line = s.Line.OrderBy(p => p.X).ToArray();
            for (int i = 1; i < line.Length; i++)
                Raster.ThickLine(image, X(line[i - 1].X), Y(line[i - 1].Y), X(line[i].X), Y(line[i].Y), s.Color, 2);
            foreach (var p in s.Points) Raster.Fill(image, X(p.X) - 2, Y(p.Y) - 2, 5, 5, s.Color);
        }

        int legendY = Top + 6;
        foreach (var s in series)
        {
            int legendX = Left + plotWidth - 12 - BitmapFont.Measure(s.Name, 1) - 22;
            Raster.Fill(image, legendX, legendY + 2, 16, 3, s.Color);
            BitmapFont.Draw(image, s.Name, legendX + 22, legendY, Ink);
            legendY += 14;
        }
        return image;
    }

    /// <summary>Round-number axis limits enclosing [low, high] with a 1, 2 or 5 × 10^k step giving 4-10 intervals.</summary>
    internal static (double Low, double High, double Step) Ticks(double low, double high)
    {
        if (high <= low) (low, high) = (low - 0.5 * Math.Max(1, Math.Abs(low)), low + 0.5 * Math.Max(1, Math.Abs(low)));
        double raw = (high - low) / 5, power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= raw);
        return (Math.Floor(low / step) * step, Math.Ceiling(high / step) * step, step);
    }

    private static string Label(double value) =>
        Math.Abs(value) < 1e-12 ? "0" : value.ToString("G4", CultureInfo.InvariantCulture);
}
