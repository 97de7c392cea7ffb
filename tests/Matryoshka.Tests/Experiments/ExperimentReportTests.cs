using Matryoshka.Cli.Experiments;
using Matryoshka.Training.Experiments;
using Matryoshka.Training.Plotting;
using Xunit;

namespace Matryoshka.Tests.Experiments;

/// <summary>The experiment report: the baseline-crossing arithmetic, the summary and the charts.</summary>
public class ExperimentReportTests
{
    private static ExperimentResult Row(string arm, ulong seed, long step, double? fd) =>
        new(arm, seed, step, 0, 64, step * 32, step * 1e12, step * 2.0, 0.1, 0.01, 0.05, 0.1, 0.2, fd, 50, 60);

    private static readonly ExperimentResult[] Rows =
    {
        Row("flat", 1, 1000, 400), Row("flat", 1, 2000, 300), Row("flat", 1, 3000, 200),
        Row("flat", 2, 1000, 420), Row("flat", 2, 2000, 310), Row("flat", 2, 3000, 250),
        Row("mdm", 1, 1000, 350), Row("mdm", 1, 2000, 150), Row("mdm", 1, 3000, 120),
        Row("mdm", 2, 1000, 500), Row("mdm", 2, 2000, 400), Row("mdm", 2, 3000, 300),
        Row("early", 1, 1000, 190), Row("early", 1, 2000, 100), Row("early", 1, 3000, 90),
        Row("progressive", 1, 1000, null), Row("progressive", 1, 2000, 160), Row("progressive", 1, 3000, 140),
    };

    [Fact]
    public void An_arm_reaches_the_baseline_final_fd_where_its_curve_crosses_it()
    {
        var reach = ReachingBaseline.Find(Rows, "flat");

        // mdm, seed 1: 350 at 1000 and 150 at 2000 cross flat's final 200 three quarters of the way: step 1750.
        var crossing = reach.Single(r => r.Arm == "mdm" && r.Seed == 1);
        Assert.Equal((200.0, 3000L, false), (crossing.Target, crossing.BaselineSteps, crossing.AtFirstEvaluation));
        Assert.Equal(1750, crossing.Step!.Value, 9);
        Assert.Equal(1750.0 / 3000, crossing.StepRatio!.Value, 12);
        Assert.Equal(1750e12, crossing.Flops!.Value, 3);
        Assert.Equal(3500, crossing.Seconds!.Value, 9);
        // Seed 2 compares with flat's seed 2 (250) and never gets there.
        Assert.Null(reach.Single(r => r.Arm == "mdm" && r.Seed == 2).Step);
        // Below the target at its first evaluation: an upper bound.
        var early = reach.Single(r => r.Arm == "early");
        Assert.Equal((1000.0, true), (early.Step!.Value, early.AtFirstEvaluation));
        // Rows without a 64² evaluation (a progressive run's 16² stage) are not part of the curve.
        Assert.Equal(2000, reach.Single(r => r.Arm == "progressive").Step!.Value, 9);
    }

    [Fact]
    public void The_summary_states_means_spreads_and_the_step_ratio()
    {
        var summary = ExperimentReport.Summary(Rows, "flat");

        Assert.Contains("| flat | 3000 | 2 | 3000.0 ± 0.0 | 1.67 ± 0.00 | 225.0 ± 25.0 | 50.0 ± 0.0 |", summary);
        Assert.Contains("| mdm | 1 | 200.0 (3000) | 1750 | 0.58 |", summary);
        Assert.Contains("- mdm: steps ratio 0.58 ± 0.00 over 1 seed(s); not reached under 1 more seed(s).", summary);
        Assert.Contains("| early | 1 | 200.0 (3000) | ≤ 1000 | ≤ 0.33 |", summary);
    }

    [Fact]
    public void The_report_draws_every_metric_against_steps_flops_and_hours()
    {
        using var temp = new TempFolder();
        var csv = temp.File("results.csv");
        var results = ExperimentResults.Open(csv);
        foreach (var row in Rows) results.Append(row);
        var stdout = new StringWriter();

        int code = ExperimentReportCommand.Run(csv, temp.File("report"), "flat", stdout, TextWriter.Null);

        Assert.Equal(0, code);
        var charts = Directory.GetFiles(temp.File("report"), "*.svg").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(12, charts.Length);
        Assert.Contains("fd-vs-tflop.svg", charts);
        var chart = new SvgFile(temp.File("report/fd-vs-steps.svg"));
        Assert.Equal((LineChart.Width, LineChart.Height), ((int)chart.Width, (int)chart.Height));
        // One line per arm in its own colour, through its mean FD at each step that has one; a square per seed's value.
        var series = chart.Series();
        Assert.Equal(new[] { "flat", "mdm", "early", "progressive" }, series.Select(s => s.Name));
        Assert.Equal(new[] { 3, 3, 3, 2 }, series.Select(s => s.Points.Length));
        Assert.Equal(LineChart.Palette.Take(4), chart.OfClass("series").Select(e => (string?)e.Attribute("stroke")));
        Assert.Equal(Rows.Count(r => r.FdResNet18 is not null), chart.OfClass("point").Count);
        Assert.All(series, s => Assert.True(s.Points.Zip(s.Points.Skip(1)).All(p => p.Second.X > p.First.X), $"{s.Name}: not in step order"));
        // flat's mean falls from 410 to 225: its line goes down the chart (y grows downwards).
        Assert.True(series[0].Points[^1].Y > series[0].Points[0].Y);
        Assert.Equal(new[] { "FD-ResNet18 (lower is better)" }, chart.Texts("title"));
        Assert.Equal(new[] { "training steps" }, chart.Texts("x-label"));
        Assert.Equal(new[] { "FD-ResNet18" }, chart.Texts("y-label"));
        Assert.Equal(new[] { "0", "1000", "2000", "3000" }, chart.Texts("x-tick"));
        Assert.Equal(new[] { "flat", "mdm", "early", "progressive" }, chart.Texts("legend"));
        Assert.True(File.Exists(temp.File("report/summary.md")));
        Assert.Contains(temp.File("report/fd-vs-hours.svg"), stdout.ToString());
    }

    [Fact]
    public void Bad_report_requests_are_refused()
    {
        using var temp = new TempFolder();
        Assert.Equal(ExperimentReportCommand.Refused, ExperimentReportCommand.Run(temp.File("none.csv"), temp.File("r"), null, TextWriter.Null, TextWriter.Null));
        var results = ExperimentResults.Open(temp.File("results.csv"));
        Assert.Equal(ExperimentReportCommand.Refused, ExperimentReportCommand.Run(temp.File("results.csv"), temp.File("r"), null, TextWriter.Null, TextWriter.Null));
        results.Append(Rows[0]);
        var stderr = new StringWriter();
        Assert.Equal(ExperimentReportCommand.Refused, ExperimentReportCommand.Run(temp.File("results.csv"), temp.File("r"), "cascade", TextWriter.Null, stderr));
        Assert.Contains("'cascade' is not an arm", stderr.ToString());
    }

    [Theory]
    [InlineData(0, 2950, 0, 3000, 1000)]
    [InlineData(0.12, 0.47, 0.1, 0.5, 0.1)]
    [InlineData(180, 530, 100, 600, 100)]
    public void Axis_ticks_are_round_numbers_enclosing_the_data(double low, double high, double tickLow, double tickHigh, double step)
    {
        var ticks = LineChart.Ticks(low, high);
        Assert.Equal(tickLow, ticks.Low, 9);
        Assert.Equal(tickHigh, ticks.High, 9);
        Assert.Equal(step, ticks.Step, 9);
    }
}
