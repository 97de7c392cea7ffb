using System.Globalization;

namespace Matryoshka.Benchmarks.Comparison;

/// <summary>Writes a comparison as markdown: the table, a one-line summary, and what could not be compared.</summary>
public static class ComparisonMarkdown
{
    /// <summary>Writes <paramref name="comparison"/> to <paramref name="output"/> (what <c>matryoshka bench-compare</c> prints).</summary>
    public static void Write(ComparisonResult comparison, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(output);
        var options = comparison.Options;
        if (comparison.Rows.Count > 0)
        {
            output.WriteLine("| benchmark | base | diff | ratio | verdict |");
            output.WriteLine("|---|---:|---:|---:|---|");
            foreach (var row in comparison.Rows)
            {
                output.WriteLine($"| {Cell(row.Name)} | {BenchmarkUnits.FormatDuration(row.BaseMean)} | {BenchmarkUnits.FormatDuration(row.DiffMean)} " +
                    $"| {Ratio(row.Ratio)} | {row.Detail} |");
            }
            output.WriteLine();
        }
        int same = comparison.Rows.Count - comparison.Regressions - comparison.Improvements;
        output.WriteLine($"{comparison.Regressions} regression(s), {comparison.Improvements} improvement(s), {same} same " +
            $"(threshold {Percent(options.Threshold)}, noise floor {BenchmarkUnits.FormatDuration(options.NoiseNanoseconds)}, " +
            $"Mann-Whitney U at α = {options.Alpha.ToString(CultureInfo.InvariantCulture)} where measurements are present).");
        if (comparison.NotCompared.Count == 0) return;
        output.WriteLine();
        output.WriteLine("Not compared:");
        foreach (var (name, why) in comparison.NotCompared) output.WriteLine($"- {Cell(name)}: {why}");
    }

    private static string Ratio(double ratio) =>
        double.IsPositiveInfinity(ratio) ? "∞" : ratio.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    // Parameter values may hold anything: keep each name on one line and out of the table's column syntax.
    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
