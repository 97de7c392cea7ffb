using Matryoshka.Benchmarks.Comparison;
using Xunit;
using static Matryoshka.Tests.Cli.BenchCompare.BenchCompareRun;
using static Matryoshka.Tests.Cli.BenchCompare.BenchSamples;

namespace Matryoshka.Tests.Cli.BenchCompare;

/// <summary>The library's entry point, called as a CI pipeline would, without the CLI.</summary>
public class BenchmarkComparisonTests
{
    private static string Baseline => Path.Combine(RepositoryFolder.Root, "benchmarks", "baselines", "amd-epyc-2core");

    [Fact]
    public void The_committed_baseline_against_itself_is_the_same_everywhere()
    {
        var result = BenchmarkComparison.Compare(Baseline, Baseline);

        Assert.Equal(154, result.Rows.Count); // every benchmark of the nine committed reports has a result
        Assert.All(result.Rows, row => Assert.Equal((1.0, Verdict.Same, "same"), (row.Ratio, row.Verdict, row.Detail)));
        Assert.Empty(result.NotCompared);
        Assert.Equal((0, 0), (result.Regressions, result.Improvements));
        var tenSteps = Assert.Single(result.Rows, row => row.Name == "Matryoshka.Benchmarks.SamplingBenchmarks.TenSteps(Sampler: \"ddim\", Guidance: 1, Model: \"emoji-64\")");
        Assert.Equal(611075409.375, tenSteps.BaseMean); // Statistics.Mean in SamplingBenchmarks-report-full.json
        Assert.Equal(new ComparisonOptions(), result.Options);
    }

    [Fact]
    public void Verdicts_ratios_and_p_values_come_back_typed()
    {
        using var temp = new TempFolder();
        var noisy = new BenchCase("Noisy", Noisy());
        var removed = new BenchCase("Removed", Tight(1e6));
        var baseFile = BenchReportJson.Write(temp.File("base.json"), true, Step, noisy, removed);
        var diffFile = BenchReportJson.Write(temp.File("diff.json"), true, Step with { PerOperationNanoseconds = Tight(1.3e6) },
            noisy with { PerOperationNanoseconds = NoisyWithOneOutlier() });

        var result = BenchmarkComparison.Compare(baseFile, diffFile, new ComparisonOptions { Threshold = 0.1, NoiseNanoseconds = 50_000 });

        // Both ratios are 1.3: the order falls back to the names.
        Assert.Equal([BenchReportJson.FullName(noisy), BenchReportJson.FullName(Step)], result.Rows.Select(row => row.Name));
        var (outlier, slower) = (result.Rows[0], result.Rows[1]);
        Assert.Equal((BenchReportJson.FullName(Step), Verdict.Regression, "regression (p < 0.001)"), (slower.Name, slower.Verdict, slower.Detail));
        Assert.Equal((1e6, 1.3e6, 1.3), (slower.BaseMean, Math.Round(slower.DiffMean, 3), Math.Round(slower.Ratio, 12)));
        Assert.Equal((Verdict.Same, "same (not significant, p = 0.642)"), (outlier.Verdict, outlier.Detail));
        Assert.Equal(1.3, outlier.Ratio, 12);
        Assert.Equal([new NotComparedBenchmark(BenchReportJson.FullName(removed), "only in base")], result.NotCompared);
        Assert.Equal((1, 0), (result.Regressions, result.Improvements));
    }

    [Fact]
    public void The_markdown_is_what_bench_compare_prints()
    {
        using var temp = new TempFolder();
        var (baseFile, diffFile) = WritePair(temp, Step, Tight(0.7e6));
        var markdown = new StringWriter();

        ComparisonMarkdown.Write(BenchmarkComparison.Compare(baseFile, diffFile), markdown);

        Assert.Equal(Run(baseFile, diffFile).Stdout, markdown.ToString());
        Assert.Contains("| 1.00 ms | 700.00 μs | 0.70 | improvement (p < 0.001) |", markdown.ToString());
    }

    [Theory]
    [InlineData(1.0, 0, 0.05, "Threshold")]
    [InlineData(-0.1, 0, 0.05, "Threshold")]
    [InlineData(0.1, -1, 0.05, "NoiseNanoseconds")]
    [InlineData(0.1, double.PositiveInfinity, 0.05, "NoiseNanoseconds")]
    [InlineData(0.1, 0, 0, "Alpha")]
    [InlineData(0.1, 0, double.NaN, "Alpha")]
    public void Options_out_of_range_are_refused_before_any_file_is_read(double threshold, double noise, double alpha, string named)
    {
        var options = new ComparisonOptions { Threshold = threshold, NoiseNanoseconds = noise, Alpha = alpha };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BenchmarkComparison.Compare("missing-a", "missing-b", options));
        Assert.Equal(named, error.ParamName);
    }

    [Fact]
    public void A_missing_side_is_a_typed_error_naming_the_path()
    {
        using var temp = new TempFolder();

        var error = Assert.Throws<BenchmarkReportException>(() => BenchmarkComparison.Compare(Baseline, temp.File("missing")));

        Assert.Equal((temp.File("missing"), "no such file or folder"), (error.File, error.Problem));
    }
}
