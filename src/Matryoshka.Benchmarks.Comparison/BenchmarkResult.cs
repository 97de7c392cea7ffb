namespace Matryoshka.Benchmarks.Comparison;

/// <summary>One benchmark case of a BenchmarkDotNet report, as far as comparing runs needs it.</summary>
/// <param name="FullName">BenchmarkDotNet's FullName: namespace, type, method and parameters; the key runs are matched by.</param>
/// <param name="Mean">Mean time per operation in nanoseconds (Statistics.Mean).</param>
/// <param name="StandardDeviation">Standard deviation per operation in nanoseconds (NaN when the report has none).</param>
/// <param name="Samples">
/// Time per operation in nanoseconds of every workload "Result" iteration; empty when the report carries no
/// measurements (a brief export), and then runs are compared by their means alone.
/// </param>
internal sealed record BenchmarkResult(string FullName, double Mean, double StandardDeviation, IReadOnlyList<double> Samples);
