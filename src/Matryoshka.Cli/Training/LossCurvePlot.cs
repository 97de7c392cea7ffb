using System.Globalization;
using SixLabors.ImageSharp;
using Matryoshka.Cli.Plotting;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Cli.Training;

/// <summary>
/// Draws a training run's loss.csv as a PNG: one line per level (level 0 = highest resolution, blue; then orange, green,
/// red), each a moving average over <c>window</c> steps, against the step on x and log10(loss) on y. Light gray lines mark
/// every power of ten; darker vertical lines mark the steps where a new stage begins. No text (ImageSharp alone draws no
/// fonts): the docs state the axes.
/// </summary>
internal static class LossCurvePlot
{
    public const int Width = 800, Height = 400, Margin = 20;
    private static readonly Rgb24[] Colors = { new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40) };

    /// <summary>The per-level losses by step, read from loss.csv (columns loss_level0 …).</summary>
    public static (long[] Steps, int[] Stages, double?[][] Levels) Read(string csvPath)
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

    public static Image<Rgb24> Draw(long[] steps, int[] stages, double?[][] levels, int window)
    {
        var image = new Image<Rgb24>(Width, Height, new Rgb24(255, 255, 255));
        var smoothed = levels.Select(level => MovingAverage(level, Math.Max(1, window))).ToArray();
        var all = smoothed.SelectMany(l => l).Where(v => v is not null).Select(v => Math.Log10(v!.Value)).ToList();
        if (all.Count == 0 || steps.Length == 0) return image;
        double low = Math.Floor(all.Min()), high = Math.Ceiling(all.Max());
        if (high <= low) high = low + 1;
        long first = steps[0], last = Math.Max(steps[^1], first + 1);
        int X(long step) => Margin + (int)Math.Round((double)(step - first) / (last - first) * (Width - 2 * Margin - 1));
        int Y(double log) => Height - Margin - 1 - (int)Math.Round((log - low) / (high - low) * (Height - 2 * Margin - 1));

        for (double decade = low; decade <= high; decade++) Raster.Line(image, X(first), Y(decade), X(last), Y(decade), new Rgb24(220, 220, 220));
        for (int i = 1; i < stages.Length; i++)
            if (stages[i] != stages[i - 1]) Raster.Line(image, X(steps[i]), Y(low), X(steps[i]), Y(high), new Rgb24(120, 120, 120));
        for (int l = 0; l < smoothed.Length; l++)
        {
            (int X, int Y)? previous = null;
            for (int i = 0; i < steps.Length; i++)
            {
                if (smoothed[l][i] is not { } value) { previous = null; continue; }
                var point = (X(steps[i]), Y(Math.Log10(value)));
                if (previous is { } p) Raster.Line(image, p.X, p.Y, point.Item1, point.Item2, Colors[l % Colors.Length]);
                previous = point;
            }
        }
        return image;
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
