using System.Globalization;

namespace Matryoshka.Benchmarks.Comparison;

/// <summary>
/// Matches two runs' benchmarks by FullName and judges each pair (the idea of dotnet/performance's ResultsComparer):
/// a regression or improvement needs a relative change beyond the threshold, an absolute one beyond the noise
/// floor and, where both reports carry per-iteration measurements, a significant Mann–Whitney U test.
/// </summary>
internal static class BenchmarkComparer
{
    /// <summary>Compares <paramref name="diff"/> against <paramref name="baseline"/>.</summary>
    public static ComparisonResult Compare(BenchmarkReport baseline, BenchmarkReport diff, ComparisonOptions options)
    {
        var baseResults = baseline.Results.ToDictionary(result => result.FullName, StringComparer.Ordinal);
        var diffResults = diff.Results.ToDictionary(result => result.FullName, StringComparer.Ordinal);
        var rows = baseResults.Values.Where(result => diffResults.ContainsKey(result.FullName))
            .Select(result => Judge(result, diffResults[result.FullName], options))
            .OrderByDescending(row => row.Ratio).ThenBy(row => row.Name, StringComparer.Ordinal)
            .ToArray();
        return new ComparisonResult(rows, NotCompared(baseline, diff, baseResults, diffResults), options);
    }

    /// <summary>The verdict on one benchmark present with a result on both sides.</summary>
    internal static ComparisonRow Judge(BenchmarkResult baseResult, BenchmarkResult diffResult, ComparisonOptions options)
    {
        double baseMean = baseResult.Mean, diffMean = diffResult.Mean;
        double ratio = baseMean > 0 ? diffMean / baseMean : diffMean > baseMean ? double.PositiveInfinity : 1;
        ComparisonRow Row(Verdict verdict, string detail) => new(baseResult.FullName, baseMean, diffMean, ratio, verdict, detail);

        bool slower = ratio > 1 + options.Threshold, faster = ratio < 1 - options.Threshold;
        if (!slower && !faster) return Row(Verdict.Same, "same");
        if (Math.Abs(diffMean - baseMean) <= options.NoiseNanoseconds) return Row(Verdict.Same, "same (under the noise floor)");
        var verdict = slower ? Verdict.Regression : Verdict.Improvement;
        string name = slower ? "regression" : "improvement";
        if (baseResult.Samples.Count == 0 || diffResult.Samples.Count == 0) return Row(verdict, name);

        // The threshold is the minimal effect: diff is tested against base scaled to the edge of "same", so the test
        // asks whether diff is beyond the threshold, not merely different (with many tight iterations any 1 % would be).
        double edge = slower ? 1 + options.Threshold : 1 - options.Threshold;
        var test = MannWhitneyU.Test(diffResult.Samples, baseResult.Samples.Select(sample => sample * edge).ToArray());
        string p = test.PValue < 0.001 ? "p < 0.001" : "p = " + test.PValue.ToString("0.###", CultureInfo.InvariantCulture);
        bool significant = test.PValue < options.Alpha && test.XTendsLarger == slower;
        return significant ? Row(verdict, $"{name} ({p})") : Row(Verdict.Same, $"same (not significant, {p})");
    }

    private static NotComparedBenchmark[] NotCompared(BenchmarkReport baseline, BenchmarkReport diff,
        Dictionary<string, BenchmarkResult> baseResults, Dictionary<string, BenchmarkResult> diffResults)
    {
        var inBase = baseResults.Keys.Concat(baseline.WithoutResult).ToHashSet(StringComparer.Ordinal);
        var inDiff = diffResults.Keys.Concat(diff.WithoutResult).ToHashSet(StringComparer.Ordinal);
        string? Why(string name) => (inBase.Contains(name), inDiff.Contains(name)) switch
        {
            (true, false) => "only in base",
            (false, true) => "only in diff",
            _ when !baseResults.ContainsKey(name) && !diffResults.ContainsKey(name) => "no result in either",
            _ when !baseResults.ContainsKey(name) => "no result in base",
            _ when !diffResults.ContainsKey(name) => "no result in diff",
            _ => null,
        };
        return inBase.Union(inDiff).Order(StringComparer.Ordinal)
            .Select(name => (Name: name, Why: Why(name)))
            .Where(entry => entry.Why is not null)
            .Select(entry => new NotComparedBenchmark(entry.Name, entry.Why!))
            .ToArray();
    }
}
