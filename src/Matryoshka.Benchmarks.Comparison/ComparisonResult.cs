namespace Matryoshka.Benchmarks.Comparison;

/// <summary>The outcome of comparing two runs.</summary>
/// <param name="Rows">Matched benchmarks, slowest ratio first (ties by name).</param>
/// <param name="NotCompared">Benchmarks that could not be matched, by name, each with why.</param>
/// <param name="Options">The thresholds the verdicts were reached with.</param>
public sealed record ComparisonResult(IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<NotComparedBenchmark> NotCompared, ComparisonOptions Options)
{
    /// <summary>How many benchmarks got slower; a CI gate fails when any did (bench-compare exits 1).</summary>
    public int Regressions => Rows.Count(row => row.Verdict == Verdict.Regression);

    /// <summary>How many benchmarks got faster.</summary>
    public int Improvements => Rows.Count(row => row.Verdict == Verdict.Improvement);
}
