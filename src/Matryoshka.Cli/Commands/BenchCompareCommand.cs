using System.CommandLine;
using Matryoshka.Benchmarks.Comparison;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka bench-compare BASE DIFF [--threshold 10%] [--noise 0.05ms]</c>: compares two BenchmarkDotNet runs
/// (full JSON reports) and prints a markdown table. Exit codes: 0 no regression, 1 at least one regression,
/// 2 an input was refused.
/// </summary>
internal static class BenchCompareCommand
{
    public static Command Create()
    {
        var baseline = new Argument<string>("base") { Description = "The baseline run: a *-report-full.json file, or a folder searched for them (BenchmarkDotNet.Artifacts/results)." };
        var diff = new Argument<string>("diff") { Description = "The run to judge against it, in the same forms." };
        var threshold = new Option<string>("--threshold") { Description = "Minimal relative change of the mean that counts, e.g. 10%.", DefaultValueFactory = _ => "10%" };
        var noise = new Option<string>("--noise") { Description = "Absolute noise floor: smaller changes of the mean never count (ns, us, ms, s).", DefaultValueFactory = _ => "0.05ms" };
        var command = new Command("bench-compare", "Compare two BenchmarkDotNet runs by benchmark: a markdown table of ratios with regressions and improvements (threshold, noise floor and Mann-Whitney U test); exit 1 when any benchmark regressed.");
        command.Arguments.Add(baseline);
        command.Arguments.Add(diff);
        command.Options.Add(threshold);
        command.Options.Add(noise);
        command.SetAction(parse => Run(parse.GetValue(baseline)!, parse.GetValue(diff)!, parse.GetValue(threshold)!, parse.GetValue(noise)!,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string basePath, string diffPath, string threshold, string noise, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var options = new ComparisonOptions
            {
                Threshold = BenchmarkUnits.TryParsePercent(threshold) ?? throw new ArgumentException($"--threshold '{threshold}' is not a percentage from 0 to under 100, e.g. 10%"),
                NoiseNanoseconds = BenchmarkUnits.TryParseDuration(noise) ?? throw new ArgumentException($"--noise '{noise}' is not a duration such as 0.05ms, 20us, 500ns or 0"),
            };
            var comparison = BenchmarkComparison.Compare(basePath, diffPath, options);
            ComparisonMarkdown.Write(comparison, stdout);
            return comparison.Regressions > 0 ? 1 : 0;
        }
        catch (Exception e) when (e is ArgumentException or BenchmarkReportException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return 2;
        }
    }
}
