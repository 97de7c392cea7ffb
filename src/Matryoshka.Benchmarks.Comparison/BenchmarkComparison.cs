namespace Matryoshka.Benchmarks.Comparison;

/// <summary>
/// Compares two BenchmarkDotNet runs benchmark by benchmark: the entry point for CI pipelines and for
/// <c>matryoshka bench-compare</c>. Each side is a full JSON report (<c>*-report-full.json</c> or
/// <c>*-report-full-compressed.json</c>, written by BenchmarkDotNet's <c>JsonExporter.Full</c>) or a folder searched,
/// with its subfolders, for them (e.g. BenchmarkDotNet.Artifacts/results).
/// </summary>
/// <example>
/// <code>
/// var result = BenchmarkComparison.Compare("baseline/results", "BenchmarkDotNet.Artifacts/results", new ComparisonOptions { Threshold = 0.3 });
/// ComparisonMarkdown.Write(result, Console.Out);
/// return result.Regressions > 0 ? 1 : 0;
/// </code>
/// </example>
public static class BenchmarkComparison
{
    /// <summary>Reads both sides and judges every benchmark found on both.</summary>
    /// <param name="baselinePath">The baseline run: a report file or a folder of them.</param>
    /// <param name="currentPath">The run to judge against it, in the same forms.</param>
    /// <param name="options">The thresholds; null for the defaults (10 %, 0.05 ms, α = 0.05).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="BenchmarkReportException">A side is missing, too large, not JSON, not BenchmarkDotNet's full report, or names a benchmark twice.</exception>
    public static ComparisonResult Compare(string baselinePath, string currentPath, ComparisonOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(baselinePath);
        ArgumentException.ThrowIfNullOrEmpty(currentPath);
        options ??= new ComparisonOptions();
        options.Validate();
        return BenchmarkComparer.Compare(BenchmarkReportLoader.Load(baselinePath), BenchmarkReportLoader.Load(currentPath), options);
    }
}
