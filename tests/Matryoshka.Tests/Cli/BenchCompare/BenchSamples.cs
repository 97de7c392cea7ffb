namespace Matryoshka.Tests.Cli.BenchCompare;

/// <summary>Per-operation times for synthetic reports.</summary>
internal static class BenchSamples
{
    /// <summary>The usual case of these tests: a tight 1 ms benchmark.</summary>
    public static readonly BenchCase Step = new("Step", Tight(1e6));

    /// <summary>15 distinct values within ±0.5 % of <paramref name="mean"/>, averaging exactly to it.</summary>
    public static double[] Tight(double mean) => Enumerable.Range(0, 15).Select(k => mean * (1 + (k - 7) * 0.0007)).ToArray();

    /// <summary>17 values spread evenly from 0.2 to 1.8 ms (mean 1 ms): a noisy benchmark.</summary>
    public static double[] Noisy() => Enumerable.Range(0, 17).Select(k => (200 + 100 * k) * 1e3).ToArray();

    /// <summary>
    /// <see cref="Noisy"/> with its slowest iteration 5.1 ms slower: the mean rises by 30 % (to 1.3 ms) while every
    /// other iteration is unchanged, so the two distributions overlap almost entirely.
    /// </summary>
    public static double[] NoisyWithOneOutlier()
    {
        var samples = Noisy();
        samples[^1] += 5.1e6;
        return samples;
    }
}
