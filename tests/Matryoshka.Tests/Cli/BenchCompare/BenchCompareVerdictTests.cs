using Xunit;
using static Matryoshka.Tests.Cli.BenchCompare.BenchCompareRun;
using static Matryoshka.Tests.Cli.BenchCompare.BenchSamples;

namespace Matryoshka.Tests.Cli.BenchCompare;

public class BenchCompareVerdictTests
{
    [Fact]
    public void Identical_runs_have_no_regression_and_exit_0()
    {
        using var temp = new TempFolder();
        var cases = new[] { Step, new BenchCase("Step", Tight(20e6), "three_level"), new BenchCase("Loss", Noisy()) };
        var baseFile = BenchReportJson.Write(temp.File("base-report-full.json"), true, cases);
        var diffFile = BenchReportJson.Write(temp.File("diff-report-full.json"), true, cases);

        var (code, stdout, stderr) = Run(baseFile, diffFile);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        foreach (var benchCase in cases) Assert.Equal(["1.00", "same"], Row(stdout, benchCase)[3..]);
        Assert.Contains("0 regression(s), 0 improvement(s), 3 same", stdout);
        Assert.DoesNotContain("Not compared", stdout);
    }

    [Fact]
    public void A_tight_benchmark_30_percent_slower_is_a_regression_and_exits_1()
    {
        using var temp = new TempFolder();
        var slower = Step with { PerOperationNanoseconds = Tight(1.3e6) };
        var unchanged = new BenchCase("Loss", Tight(50e6));
        var baseFile = BenchReportJson.Write(temp.File("base.json"), true, Step, unchanged);
        var diffFile = BenchReportJson.Write(temp.File("diff.json"), true, slower, unchanged);

        var (code, stdout, _) = Run(baseFile, diffFile);

        Assert.Equal(1, code);
        Assert.Equal(["1.00 ms", "1.30 ms", "1.30", "regression (p < 0.001)"], Row(stdout, Step)[1..]);
        Assert.Equal("same", Row(stdout, unchanged)[4]);
        Assert.Contains("1 regression(s), 0 improvement(s), 1 same", stdout);
        // Sorted by ratio, slowest first.
        Assert.True(stdout.IndexOf("Step(", StringComparison.Ordinal) < stdout.IndexOf("Loss(", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, 0, "same (not significant, p = 0.642)")]
    [InlineData(false, 1, "regression")] // a brief report: the means alone decide
    public void A_30_percent_slower_mean_from_one_outlier_among_overlapping_measurements_is_not_flagged(bool withMeasurements, int exitCode, string verdict)
    {
        using var temp = new TempFolder();
        var noisy = new BenchCase("Step", Noisy());
        var (baseFile, diffFile) = WritePair(temp, noisy, NoisyWithOneOutlier(), withMeasurements);

        var (code, stdout, _) = Run(baseFile, diffFile);

        Assert.Equal(exitCode, code);
        // The means really differ by 30 %: only the test on the measurements holds it back.
        Assert.Equal(["1.30", verdict], Row(stdout, noisy)[3..]);
    }

    [Fact]
    public void A_difference_under_the_noise_floor_is_not_flagged_and_is_without_one()
    {
        using var temp = new TempFolder();
        var tiny = new BenchCase("Step", Tight(100));
        var (baseFile, diffFile) = WritePair(temp, tiny, Tight(150));

        var (code, stdout, _) = Run(baseFile, diffFile);
        Assert.Equal(0, code);
        Assert.Equal(["100.00 ns", "150.00 ns", "1.50", "same (under the noise floor)"], Row(stdout, tiny)[1..]);

        var (codeWithoutFloor, stdoutWithoutFloor, _) = Run(baseFile, diffFile, noise: "0");
        Assert.Equal(1, codeWithoutFloor);
        Assert.Equal("regression (p < 0.001)", Row(stdoutWithoutFloor, tiny)[4]);
    }

    [Fact]
    public void A_change_inside_the_threshold_is_the_same_even_when_significant()
    {
        using var temp = new TempFolder();
        var (baseFile, diffFile) = WritePair(temp, Step, Tight(1.08e6));

        Assert.Equal("same", Row(Run(baseFile, diffFile).Stdout, Step)[4]);
        var (code, stdout, _) = Run(baseFile, diffFile, threshold: "5%");
        Assert.Equal(1, code);
        Assert.Equal("regression (p < 0.001)", Row(stdout, Step)[4]);
    }

    [Fact]
    public void A_tight_benchmark_30_percent_faster_is_an_improvement_and_exits_0()
    {
        using var temp = new TempFolder();
        var (baseFile, diffFile) = WritePair(temp, Step, Tight(0.7e6));

        var (code, stdout, _) = Run(baseFile, diffFile);

        Assert.Equal(0, code);
        Assert.Equal(["0.70", "improvement (p < 0.001)"], Row(stdout, Step)[3..]);
        Assert.Contains("0 regression(s), 1 improvement(s), 0 same", stdout);
    }
}
