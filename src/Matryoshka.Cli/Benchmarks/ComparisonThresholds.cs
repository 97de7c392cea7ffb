namespace Matryoshka.Cli.Benchmarks;

/// <summary>
/// When a difference between two runs of a benchmark counts. All three must agree: the means differ by more than
/// <paramref name="Relative"/>, by more than <paramref name="NoiseNanoseconds"/>, and (where the reports carry
/// per-iteration measurements) the Mann–Whitney U test rejects, at <paramref name="Alpha"/>, that the new run is
/// within <paramref name="Relative"/> of the old one.
/// </summary>
/// <param name="Relative">Minimal relative effect, e.g. 0.10: slower than base × 1.1 or faster than base × 0.9.</param>
/// <param name="NoiseNanoseconds">Absolute noise floor on the difference of the means, in nanoseconds.</param>
/// <param name="Alpha">Significance level of the test.</param>
internal sealed record ComparisonThresholds(double Relative, double NoiseNanoseconds, double Alpha = 0.05);
