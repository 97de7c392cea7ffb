using System.Globalization;
using System.Text;
using Matryoshka.Training.Plotting;

namespace Matryoshka.Training.Experiments;

/// <summary>
/// Turns an experiment's results.csv into SVG charts (each metric against steps, training FLOPs and training hours; a
/// line through the mean over seeds, a square per seed) and a markdown summary: every arm and step with the spread
/// between seeds, and when each arm reaches the baseline arm's final FD-ResNet18.
/// </summary>
internal static class ExperimentReport
{
    private sealed record Metric(string File, string Title, Func<ExperimentResult, double?> Value);
    private sealed record Axis(string File, string Label, Func<ExperimentResult, double> Value);

    private static readonly Metric[] Metrics =
    {
        new("fd", "FD-ResNet18 (lower is better)", r => r.FdResNet18),
        new("top5", "Caption retrieval top-5, ResNet18 (%)", r => r.Top5 * 100),
        new("pixel-top5", "Caption retrieval top-5, pixels (%)", r => r.PixelTop5 * 100),
        new("loss", "Training loss of the 64² level", r => r.FinalLevelLoss),
    };

    private static readonly Axis[] Axes =
    {
        new("steps", "training steps", r => r.Step),
        new("tflop", "training TFLOP (estimated)", r => r.TrainFlops / 1e12),
        new("hours", "training hours (wall)", r => r.TrainSeconds / 3600),
    };

    /// <summary>Writes the charts (<c>METRIC-vs-AXIS.svg</c>) and summary.md into <paramref name="folder"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<ExperimentResult> rows, string baseline, string folder)
    {
        Directory.CreateDirectory(folder);
        var arms = rows.Select(r => r.Arm).Distinct().ToArray();
        var written = new List<string>();
        foreach (var metric in Metrics)
            foreach (var axis in Axes)
            {
                var series = arms.Select((arm, i) => Series(rows.Where(r => r.Arm == arm), arm, LineChart.Palette[i % LineChart.Palette.Length], metric, axis)).ToArray();
                var path = Path.Combine(folder, $"{metric.File}-vs-{axis.File}.svg");
                LineChart.Draw(metric.Title, axis.Label, metric.Title.Split(" (")[0], series).Save(path);
                written.Add(path);
            }
        var summary = Path.Combine(folder, "summary.md");
        File.WriteAllText(summary, Summary(rows, baseline));
        written.Add(summary);
        return written;
    }

    private static ChartSeries Series(IEnumerable<ExperimentResult> rows, string arm, string colour, Metric metric, Axis axis)
    {
        var points = rows.Where(r => metric.Value(r) is not null).Select(r => (Step: r.Step, X: axis.Value(r), Y: metric.Value(r)!.Value)).ToArray();
        var means = points.GroupBy(p => p.Step).Select(g => (g.Average(p => p.X), g.Average(p => p.Y))).ToArray();
        return new ChartSeries(arm, colour, means, points.Select(p => (p.X, p.Y)).ToArray());
    }

    internal static string Summary(IReadOnlyList<ExperimentResult> rows, string baseline)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine("Every arm at every evaluated step: the mean over seeds, ± half the range between them (one seed: no ±).");
        text.AppendLine();
        text.AppendLine("| arm | step | seeds | training TFLOP | training hours | FD-ResNet18 | real-vs-real floor | top-1 (%) | top-5 (%) | pixel top-1 (%) | pixel top-5 (%) | 64² loss |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in rows.GroupBy(r => (r.Arm, r.Step)))
        {
            var g = group.ToArray();
            text.AppendLine(string.Create(inv, $"| {group.Key.Arm} | {group.Key.Step} | {g.Length} | {Spread(g, r => r.TrainFlops / 1e12, "F1")} | {Spread(g, r => r.TrainSeconds / 3600, "F2")} | " +
                $"{Spread(g, r => r.FdResNet18, "F1")} | {Spread(g, r => r.FdRealSameSize, "F1")} | {Spread(g, r => r.Top1 * 100, "F1")} | {Spread(g, r => r.Top5 * 100, "F1")} | " +
                $"{Spread(g, r => r.PixelTop1 * 100, "F1")} | {Spread(g, r => r.PixelTop5 * 100, "F1")} | {Spread(g, r => r.FinalLevelLoss, "F4")} |"));
        }
        var reach = ReachingBaseline.Find(rows, baseline);
        if (reach.Count == 0) return text.ToString();
        text.AppendLine();
        text.AppendLine($"When each arm first reaches {baseline}'s final FD-ResNet18 under the same seed (linear between evaluations; ≤: already at the first evaluation; —: not within the run):");
        text.AppendLine();
        text.AppendLine($"| arm | seed | target FD ({baseline}, step) | step reached | steps / {baseline}'s steps | training TFLOP | training hours |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in reach)
        {
            string bound = r.AtFirstEvaluation ? "≤ " : "";
            text.AppendLine(r.Step is { } step
                ? string.Create(inv, $"| {r.Arm} | {r.Seed} | {r.Target:F1} ({r.BaselineSteps}) | {bound}{step:F0} | {bound}{r.StepRatio:F2} | {bound}{r.Flops / 1e12:F1} | {bound}{r.Seconds / 3600:F2} |")
                : string.Create(inv, $"| {r.Arm} | {r.Seed} | {r.Target:F1} ({r.BaselineSteps}) | — | — | — | — |"));
        }
        text.AppendLine();
        foreach (var arm in reach.GroupBy(r => r.Arm))
        {
            var ratios = arm.Where(r => r.StepRatio is not null).Select(r => r.StepRatio!.Value).ToArray();
            int missed = arm.Count() - ratios.Length;
            text.AppendLine(ratios.Length == 0
                ? $"- {arm.Key}: did not reach it under any seed."
                : string.Create(inv, $"- {arm.Key}: steps ratio {ratios.Average():F2} ± {(ratios.Max() - ratios.Min()) / 2:F2} over {ratios.Length} seed(s)") +
                  (missed > 0 ? $"; not reached under {missed} more seed(s)." : "."));
        }
        return text.ToString();
    }

    private static string Spread(IReadOnlyList<ExperimentResult> rows, Func<ExperimentResult, double?> value, string format)
    {
        var values = rows.Select(value).Where(v => v is not null).Select(v => v!.Value).ToArray();
        if (values.Length == 0) return "";
        var mean = values.Average().ToString(format, CultureInfo.InvariantCulture);
        return values.Length == 1 ? mean : $"{mean} ± {((values.Max() - values.Min()) / 2).ToString(format, CultureInfo.InvariantCulture)}";
    }
}
