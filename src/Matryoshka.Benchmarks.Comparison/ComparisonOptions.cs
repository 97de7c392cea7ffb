namespace Matryoshka.Benchmarks.Comparison;

/// <summary>
/// When a difference between two runs of a benchmark counts. All three must agree: the means differ by more than
/// <see cref="Threshold"/>, by more than <see cref="NoiseNanoseconds"/>, and (where the reports carry per-iteration
/// measurements) the Mann–Whitney U test rejects, at <see cref="Alpha"/>, that the new run is within
/// <see cref="Threshold"/> of the old one. Checked by <see cref="BenchmarkComparison.Compare(string, string, ComparisonOptions)"/>.
/// </summary>
public sealed record ComparisonOptions
{
    /// <summary>Minimal relative effect, from 0 up to (not including) 1: 0.10 counts slower than base × 1.1 or faster than base × 0.9.</summary>
    public double Threshold { get; init; } = 0.10;

    /// <summary>Absolute noise floor on the difference of the means, in nanoseconds (0 turns it off).</summary>
    public double NoiseNanoseconds { get; init; } = 50_000;

    /// <summary>Significance level of the test, between 0 and 1.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Throws when a value is out of range; the comparison calls it before reading any report.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite or outside its range.</exception>
    public void Validate()
    {
        if (!(Threshold >= 0 && Threshold < 1))
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "the threshold is a fraction from 0 up to (not including) 1");
        if (!(NoiseNanoseconds >= 0 && double.IsFinite(NoiseNanoseconds)))
            throw new ArgumentOutOfRangeException(nameof(NoiseNanoseconds), NoiseNanoseconds, "the noise floor is a finite, non-negative number of nanoseconds");
        if (!(Alpha > 0 && Alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "the significance level is between 0 and 1");
    }
}
