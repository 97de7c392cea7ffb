namespace Matryoshka.Benchmarks.Comparison;

/// <summary>One benchmark found with a result on both sides.</summary>
/// <param name="Name">Its FullName (namespace, type, method and parameters).</param>
/// <param name="BaseMean">Base mean per operation, nanoseconds.</param>
/// <param name="DiffMean">Diff mean per operation, nanoseconds.</param>
/// <param name="Ratio">Diff mean / base mean (above 1: slower; infinity when base took no time and diff did).</param>
/// <param name="Verdict">The conclusion.</param>
/// <param name="Detail">The verdict in words, with why a difference was not counted or the test's p-value.</param>
public sealed record ComparisonRow(string Name, double BaseMean, double DiffMean, double Ratio, Verdict Verdict, string Detail);
