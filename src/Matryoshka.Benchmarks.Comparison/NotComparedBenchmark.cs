namespace Matryoshka.Benchmarks.Comparison;

/// <summary>A benchmark that could not be matched across the two runs.</summary>
/// <param name="Name">Its FullName.</param>
/// <param name="Reason">Why: "only in base", "only in diff", "no result in base", "no result in diff" or "no result in either".</param>
public sealed record NotComparedBenchmark(string Name, string Reason);
