using Matryoshka.Cli.Commands;
using Xunit;

namespace Matryoshka.Tests.Cli.BenchCompare;

/// <summary>Runs bench-compare as the CLI would, capturing what it prints.</summary>
internal static class BenchCompareRun
{
    public static (int Code, string Stdout, string Stderr) Run(string basePath, string diffPath, string threshold = "10%", string noise = "0.05ms")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = BenchCompareCommand.Run(basePath, diffPath, threshold, noise, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes <paramref name="benchCase"/> as base.json and, timed by <paramref name="diffSamples"/>, as diff.json.</summary>
    public static (string Base, string Diff) WritePair(TempFolder temp, BenchCase benchCase, double[] diffSamples, bool withMeasurements = true) =>
        (BenchReportJson.Write(temp.File("base.json"), withMeasurements, benchCase),
         BenchReportJson.Write(temp.File("diff.json"), withMeasurements, benchCase with { PerOperationNanoseconds = diffSamples }));

    /// <summary>Runs bench-compare expecting a refusal (exit 2, nothing on stdout); returns what it printed on stderr.</summary>
    public static string Refused(string basePath, string diffPath, string threshold = "10%", string noise = "0.05ms")
    {
        var (code, stdout, stderr) = Run(basePath, diffPath, threshold, noise);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        return stderr;
    }

    /// <summary>The table row of <paramref name="benchCase"/>'s benchmark, split into its cells.</summary>
    public static string[] Row(string stdout, BenchCase benchCase)
    {
        var line = stdout.Split('\n').Single(l => l.StartsWith($"| {BenchReportJson.FullName(benchCase)} |", StringComparison.Ordinal));
        return line.Trim().Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray();
    }
}
