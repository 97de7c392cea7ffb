namespace Matryoshka.Cli.Benchmarks;

/// <summary>One benchmark found with a result on both sides.</summary>
/// <param name="Name">Its FullName.</param>
/// <param name="BaseMean">Base mean per operation, nanoseconds.</param>
/// <param name="DiffMean">Diff mean per operation, nanoseconds.</param>
/// <param name="Ratio">Diff mean / base mean (above 1: slower).</param>
/// <param name="Verdict">The conclusion.</param>
/// <param name="Detail">The verdict in words, with why a difference was not counted or the test's p-value.</param>
internal sealed record ComparisonRow(string Name, double BaseMean, double DiffMean, double Ratio, Verdict Verdict, string Detail);

/// <summary>The outcome of comparing two runs.</summary>
/// <param name="Rows">Matched benchmarks, slowest ratio first.</param>
/// <param name="NotCompared">Benchmarks that could not be matched, each with why ("only in base", "no result in diff", …).</param>
internal sealed record BenchmarkComparison(IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<(string Name, string Why)> NotCompared)
{
    /// <summary>How many benchmarks got slower; bench-compare exits 1 when any did.</summary>
    public int Regressions => Rows.Count(row => row.Verdict == Verdict.Regression);

    /// <summary>How many benchmarks got faster.</summary>
    public int Improvements => Rows.Count(row => row.Verdict == Verdict.Improvement);
}
