namespace Matryoshka.Benchmarks.Comparison;

/// <summary>What one side of a comparison (a report file or a folder of them) holds.</summary>
/// <param name="Results">Benchmarks that have a result, at most one per FullName.</param>
/// <param name="WithoutResult">FullNames whose case ran without a result (it failed: no statistics).</param>
internal sealed record BenchmarkReport(IReadOnlyList<BenchmarkResult> Results, IReadOnlyList<string> WithoutResult);
