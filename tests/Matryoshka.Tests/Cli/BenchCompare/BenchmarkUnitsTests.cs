using Matryoshka.Benchmarks.Comparison;
using Xunit;

namespace Matryoshka.Tests.Cli.BenchCompare;

public class BenchmarkUnitsTests
{
    [Theory]
    [InlineData("0.05ms", 50_000)]
    [InlineData("20us", 20_000)]
    [InlineData("20μs", 20_000)]
    [InlineData("500ns", 500)]
    [InlineData("1.5s", 1.5e9)]
    [InlineData("0", 0)]
    [InlineData(" 2 ms ", 2e6)]
    public void Durations_read_in_nanoseconds(string text, double nanoseconds) =>
        Assert.Equal(nanoseconds, BenchmarkUnits.TryParseDuration(text));

    [Theory]
    [InlineData("10%", 0.1)]
    [InlineData("2.5%", 0.025)]
    [InlineData("0%", 0)]
    public void Percentages_read_as_fractions(string text, double fraction) =>
        Assert.Equal(fraction, BenchmarkUnits.TryParsePercent(text)!.Value, 15);

    [Theory]
    [InlineData(12.345, "12.35 ns")]
    [InlineData(340_120, "340.12 μs")]
    [InlineData(27_600_000, "27.60 ms")]
    [InlineData(1_604_000_000, "1.60 s")]
    public void Durations_print_in_the_largest_unit_that_keeps_them_at_least_1(double nanoseconds, string text) =>
        Assert.Equal(text, BenchmarkUnits.FormatDuration(nanoseconds));
}
