using System.Globalization;

namespace Matryoshka.Training.Plotting;

/// <summary>
/// A labelled line chart as SVG: title, linear axes with round-number ticks and their values, axis labels and a
/// legend. Each series is one <c>polyline</c> (class <c>series</c>, <c>data-name</c> its name) and one square
/// (class <c>point</c>) per marked point.
/// </summary>
internal static class LineChart
{
    public const int Width = 820, Height = 500;
    private const int Left = 80, Right = 20, Top = 56, Bottom = 56;
    private const string Ink = "#282828", Grid = "#e1e1e1";

    /// <summary>Matplotlib's first colours, one per series.</summary>
    public static readonly string[] Palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd" };

    public static SvgCanvas Draw(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        var svg = new SvgCanvas(Width, Height);
        svg.Text(title, Width / 2.0, 26, "middle", 16, "title");
        svg.Text(yLabel, 8, Top - 12, kind: "y-label");
        svg.Text(xLabel, Left + (Width - Left - Right) / 2.0, Height - 10, "middle", kind: "x-label");

        var all = series.SelectMany(s => s.Line.Concat(s.Points)).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        if (all.Length == 0) return svg;
        var (xLow, xHigh, xStep) = Ticks(Math.Min(0, all.Min(p => p.X)), all.Max(p => p.X));
        var (yLow, yHigh, yStep) = Ticks(all.Min(p => p.Y), all.Max(p => p.Y));
        int plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double X(double x) => Left + (x - xLow) / (xHigh - xLow) * plotWidth;
        double Y(double y) => Top + plotHeight - (y - yLow) / (yHigh - yLow) * plotHeight;

        for (double x = xLow; x <= xHigh + xStep / 2; x += xStep)
        {
            svg.Line(X(x), Top, X(x), Top + plotHeight, Grid, kind: "grid");
            svg.Text(Label(x), X(x), Top + plotHeight + 18, "middle", kind: "x-tick");
        }
        for (double y = yLow; y <= yHigh + yStep / 2; y += yStep)
        {
            svg.Line(Left, Y(y), Left + plotWidth, Y(y), Grid, kind: "grid");
            svg.Text(Label(y), Left - 6, Y(y) + 4, "end", kind: "y-tick");
        }
        svg.Line(Left, Top, Left, Top + plotHeight, Ink, kind: "axis");
        svg.Line(Left, Top + plotHeight, Left + plotWidth, Top + plotHeight, Ink, kind: "axis");

        foreach (var s in series)
        {
            svg.Polyline(s.Line.OrderBy(p => p.X).Select(p => (X(p.X), Y(p.Y))), s.Colour, 2, "series", s.Name);
            foreach (var p in s.Points) svg.Rectangle(X(p.X) - 2.5, Y(p.Y) - 2.5, 5, 5, s.Colour, "point");
        }

        double legendY = Top + 14;
        foreach (var s in series)
        {
            double legendX = Left + plotWidth - 12 - SvgCanvas.TextWidth(s.Name) - 22;
            svg.Line(legendX, legendY - 4, legendX + 16, legendY - 4, s.Colour, 3, "legend-key");
            svg.Text(s.Name, legendX + 22, legendY, kind: "legend");
            legendY += 16;
        }
        return svg;
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
