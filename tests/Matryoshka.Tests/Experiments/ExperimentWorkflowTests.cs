using Matryoshka.Evaluation;
using Matryoshka.Training.Experiments;
using Xunit;

namespace Matryoshka.Tests.Experiments;

/// <summary>An experiment and its report from C# in one call each (<see cref="ExperimentWorkflow"/>), without the CLI.</summary>
public class ExperimentWorkflowTests
{
    [Fact]
    public async Task One_call_runs_the_experiment_and_one_writes_its_report()
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path, atSteps: "[4]", seeds: "[1]");
        var log = new ListProgress<string>();

        var result = await ExperimentWorkflow.RunAsync(spec, temp.File("out"), new ExperimentRunOptions { Features = new PixelFeatureExtractor(), ProgressEvery = 2 }, log);

        Assert.True(result.Complete, string.Join("\n", log.Items));
        Assert.Equal(temp.File("out/results.csv"), result.ResultsPath);
        Assert.Equal(new[] { ("joint", 1UL, 4L), ("progressive", 1UL, 4L) }, result.Rows.Select(r => (r.Arm, r.Seed, r.Step)));
        Assert.All(result.Rows, r => Assert.True(r.Resolution == 32 && r.FdResNet18 > 0 && r.Top5 is >= 0 and <= 1, $"{r}"));
        Assert.Contains("joint seed 1: training to step 4", log.Items);
        Assert.Contains(log.Items, line => line.StartsWith("  progressive seed 1 step 2 stage 0 loss", StringComparison.Ordinal));

        var report = ExperimentWorkflow.WriteReport(result.ResultsPath, temp.File("report"), samples: 2);

        Assert.Equal("joint", report.Baseline);
        Assert.Equal(13, report.Files.Count); // 4 metrics × 3 axes and summary.md
        Assert.All(report.Files, file => Assert.True(File.Exists(file), file));
        Assert.Equal(new[] { temp.File("report/samples-step4.svg") }, report.SampleGrids);
        Assert.Equal(4, new SvgFile(report.SampleGrids[0]).OfClass("sample").Count); // two arms × two samples
        Assert.Contains("| progressive | 1 | ", File.ReadAllText(temp.File("report/summary.md")));
        Assert.Throws<ArgumentException>(() => ExperimentWorkflow.WriteReport(result.ResultsPath, temp.File("report"), baseline: "cascade"));
    }

    [Fact]
    public async Task A_cancelled_run_is_not_complete_and_an_unknown_seed_is_refused_before_anything_is_written()
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path, atSteps: "[4]", seeds: "[1]");
        var options = new ExperimentRunOptions { Features = new PixelFeatureExtractor() };

        var cancelled = await ExperimentWorkflow.RunAsync(spec, temp.File("out"), options, cancellationToken: new CancellationToken(canceled: true));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => ExperimentWorkflow.RunAsync(spec, temp.File("other"), options with { OnlySeed = 9 }));

        Assert.False(cancelled.Complete);
        Assert.Empty(cancelled.Rows);
        Assert.Contains("--seed 9 is not one of the spec's seeds (1)", unknown.Message);
        Assert.False(Directory.Exists(temp.File("other")));
    }
}
