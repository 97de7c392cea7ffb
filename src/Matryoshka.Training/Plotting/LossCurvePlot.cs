using System.Globalization;

namespace Matryoshka.Training.Plotting;

/// <summary>
/// Draws a training run's loss.csv as SVG: one line per level (level 0 = highest resolution, blue; then orange, green,
/// red), each a moving average over <c>window</c> steps, against the step on x and the loss on a log scale on y. Light
/// gray lines mark every power of ten (labelled 1e-2 …); darker vertical lines mark the steps where a new stage begins.
/// Each unbroken stretch of a level is one <c>polyline</c> (class <c>series</c>, <c>data-name</c> "level N").
/// </summary>
public static class LossCurvePlot
{
    /// <summary>The chart's size in pixels.</summary>
    public const int Width = 800, Height = 400;

    internal const int Left = 64, Right = 20, Top = 20, Bottom = 44;
    private static readonly string[] Colours = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728" };

    /// <summary>Reads <paramref name="csvPath"/> and writes its chart to <paramref name="svgPath"/>.</summary>
    /// <param name="csvPath">A training run's loss.csv.</param>
    /// <param name="svgPath">The SVG file to write.</param>
    /// <param name="window">Moving-average window in steps (values below 1 count as 1).</param>
    /// <exception cref="InvalidDataException">The file is not a Matryoshka loss.csv or has no rows.</exception>
    /// <exception cref="FormatException">A step or stage is not a number.</exception>
    public static void Write(string csvPath, string svgPath, int window)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(svgPath);
        var (steps, stages, levels) = Read(csvPath);
        Draw(steps, stages, levels, window).Save(svgPath);
    }

    /// <summary>The per-level losses by step, read from loss.csv (columns loss_level0 …).</summary>
    internal static (long[] Steps, int[] Stages, double?[][] Levels) Read(string csvPath)
    {
        var lines = File.ReadLines(csvPath).ToList();
        if (lines.Count < 2) throw new InvalidDataException($"{csvPath}: no rows.");
        var header = lines[0].Split(',');
        var levelColumns = header.Select((name, i) => (name, i)).Where(c => c.name.StartsWith("loss_level", StringComparison.Ordinal)).Select(c => c.i).ToArray();
        int stepColumn = Array.IndexOf(header, "step"), stageColumn = Array.IndexOf(header, "stage");
        if (levelColumns.Length == 0 || stepColumn < 0 || stageColumn < 0) throw new InvalidDataException($"{csvPath}: not a Matryoshka loss.csv (needs step, stage, loss_level0 …).");
        var rows = lines.Skip(1).Select(l => l.Split(',')).Where(f => f.Length == header.Length).ToList();
        double? Value(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0 ? v : null;
        return (rows.Select(f => long.Parse(f[stepColumn], CultureInfo.InvariantCulture)).ToArray(),
                rows.Select(f => int.Parse(f[stageColumn], CultureInfo.InvariantCulture)).ToArray(),
                levelColumns.Select(c => rows.Select(f => Value(f[c])).ToArray()).ToArray());
    }

    internal static SvgCanvas Draw(long[] steps, int[] stages, double?[][] levels, int window)
    {
        var svg = new SvgCanvas(Width, Height);
        svg.Text("step", Left + (Width - Left - Right) / 2.0, Height - 8, "middle", kind: "x-label");
        svg.Text("loss (log scale)", 14, Top + (Height - Top - Bottom) / 2.0, "middle", kind: "y-label", rotate: -90);
        var smoothed = levels.Select(level => MovingAverage(level, Math.Max(1, window))).ToArray();
        var all = smoothed.SelectMany(l => l).Where(v => v is not null).Select(v => Math.Log10(v!.Value)).ToList();
        if (all.Count == 0 || steps.Length == 0) return svg;
        double low = Math.Floor(all.Min()), high = Math.Ceiling(all.Max());
        if (high <= low) high = low + 1;
        long first = steps[0], last = Math.Max(steps[^1], first + 1);
        double X(long step) => Left + (double)(step - first) / (last - first) * (Width - Left - Right);
        double Y(double log) => Height - Bottom - (log - low) / (high - low) * (Height - Top - Bottom);

        for (double decade = low; decade <= high; decade++)
        {
            svg.Line(X(first), Y(decade), X(last), Y(decade), "#dcdcdc", kind: "grid");
            svg.Text(string.Create(CultureInfo.InvariantCulture, $"1e{decade:0}"), Left - 6, Y(decade) + 4, "end", kind: "y-tick");
        }
        svg.Text(steps[0].ToString(CultureInfo.InvariantCulture), X(first), Height - Bottom + 16, "start", kind: "x-tick");
        svg.Text(steps[^1].ToString(CultureInfo.InvariantCulture), X(last), Height - Bottom + 16, "end", kind: "x-tick");
        for (int i = 1; i < stages.Length; i++)
            if (stages[i] != stages[i - 1]) svg.Line(X(steps[i]), Y(low), X(steps[i]), Y(high), "#787878", kind: "stage");
        for (int l = 0; l < smoothed.Length; l++)
        {
            var stretch = new List<(double X, double Y)>();
            for (int i = 0; i <= steps.Length; i++)
            {
                if (i < steps.Length && smoothed[l][i] is { } value) { stretch.Add((X(steps[i]), Y(Math.Log10(value)))); continue; }
                if (stretch.Count > 0) svg.Polyline(stretch, Colours[l % Colours.Length], 1.5, "series", $"level {l}");
                stretch = new();
            }
        }
        return svg;
    }

    // Trailing mean over the last `window` values that exist (a level has no values before its stage begins).
    internal static double?[] MovingAverage(double?[] values, int window)
    {
        var result = new double?[values.Length];
        var recent = new Queue<double>();
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } v) { recent.Clear(); sum = 0; continue; }
            recent.Enqueue(v);
            sum += v;
            if (recent.Count > window) sum -= recent.Dequeue();
            result[i] = sum / recent.Count;
        }
        return result;
    }
}
