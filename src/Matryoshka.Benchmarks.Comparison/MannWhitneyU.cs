namespace Matryoshka.Benchmarks.Comparison;

/// <summary>
/// The two-sided Mann–Whitney U (Wilcoxon rank-sum) test: do two samples come from distributions where one tends
/// to be larger? Rank-based, so a few outliers (a GC pause, a busy neighbour) weigh no more than any other
/// measurement. The p-value is exact for small samples without ties (the null distribution of U counted by the
/// Gaussian binomial coefficient), otherwise from the normal approximation with tie and continuity corrections.
/// </summary>
/// <remarks>
/// Not Perfolizer's <c>MannWhitneyTest</c> (0.6.1, the version BenchmarkDotNet 0.15.8 pins): it has no tie correction.
/// With tied values it rounds U to a whole number and reads the no-ties distribution (exact up to 65 values, an
/// Edgeworth approximation above), so its p-values differ where ties occur — and base iterations scaled to the edge of
/// the threshold do tie with diff's (bench-compare's "one outlier" case: p = 0.658 there against 0.642 here; [1, 1, 2]
/// against [2, 3, 3]: 0.2 against the tie-corrected 0.110). Without ties they agree to 1e-9 where both are exact (up to
/// 50 values); from 51 to 65 values Perfolizer's p is exact where this one is the normal approximation.
/// </remarks>
internal static class MannWhitneyU
{
    /// <summary>Up to this many values in both samples together, without ties, the p-value is exact.</summary>
    public const int ExactUpTo = 50;

    /// <summary>The outcome of a test of <c>x</c> against <c>y</c>.</summary>
    /// <param name="U">Pairs (xᵢ, yⱼ) with xᵢ &gt; yⱼ, ties counting one half; m·n/2 when neither tends to be larger.</param>
    /// <param name="PValue">Two-sided p-value.</param>
    /// <param name="XTendsLarger">Whether U is above m·n/2, i.e. x tends to be the larger sample.</param>
    /// <param name="Exact">Whether <paramref name="PValue"/> is exact rather than the normal approximation.</param>
    public readonly record struct Result(double U, double PValue, bool XTendsLarger, bool Exact);

    /// <summary>Tests <paramref name="x"/> against <paramref name="y"/>; both must be non-empty and finite.</summary>
    public static Result Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int m = x.Count, n = y.Count;
        if (m == 0 || n == 0) throw new ArgumentException("both samples need at least one value");
        if (x.Concat(y).Any(v => !double.IsFinite(v))) throw new ArgumentException("the samples hold a value that is not finite");

        var (rankSumX, tieTerm) = RankSum(x, y);
        double u = rankSumX - m * (m + 1) / 2.0, mean = m * (double)n / 2;
        bool exact = tieTerm == 0 && m + n <= ExactUpTo;
        double p = exact ? ExactPValue(m, n, u) : NormalPValue(m, n, u, tieTerm);
        return new Result(u, Math.Min(1, p), u > mean, exact);
    }

    /// <summary>The sum of x's ranks in the pooled sample (tied values share their mean rank) and Σ(t³ − t) over tie groups.</summary>
    private static (double RankSumX, double TieTerm) RankSum(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var pooled = x.Select(v => (Value: v, FromX: true)).Concat(y.Select(v => (Value: v, FromX: false))).OrderBy(p => p.Value).ToArray();
        double rankSumX = 0, tieTerm = 0;
        for (int start = 0; start < pooled.Length;)
        {
            int end = start;
            while (end + 1 < pooled.Length && pooled[end + 1].Value == pooled[start].Value) end++;
            double rank = (start + end) / 2.0 + 1, ties = end - start + 1;
            for (int i = start; i <= end; i++) if (pooled[i].FromX) rankSumX += rank;
            tieTerm += ties * ties * ties - ties;
            start = end + 1;
        }
        return (rankSumX, tieTerm);
    }

    /// <summary>2·P(U ≤ min(u, mn − u)) under the null hypothesis, from the exact distribution of U.</summary>
    internal static double ExactPValue(int m, int n, double u)
    {
        var counts = UCounts(m, n);
        int tail = (int)Math.Round(Math.Min(u, m * (double)n - u));
        double below = 0, total = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            total += counts[k];
            if (k <= tail) below += counts[k];
        }
        return 2 * below / total;
    }

    /// <summary>
    /// How many of the C(m+n, m) orderings give U = k, for k = 0 … mn: the coefficients of the Gaussian binomial
    /// [m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i), built one factor at a time (every partial product is
    /// itself a Gaussian binomial, so the coefficients stay whole numbers, exact in doubles for m + n ≤ 50).
    /// </summary>
    internal static double[] UCounts(int m, int n)
    {
        var c = new double[m * n + 1];
        c[0] = 1;
        for (int i = 1; i <= m; i++)
        {
            for (int k = c.Length - 1; k >= n + i; k--) c[k] -= c[k - n - i]; // × (1 − q^(n+i))
            for (int k = i; k < c.Length; k++) c[k] += c[k - i];               // ÷ (1 − q^i)
        }
        return c;
    }

    private static double NormalPValue(int m, int n, double u, double tieTerm)
    {
        double total = m + n, mean = m * (double)n / 2;
        double variance = m * (double)n / 12 * (total + 1 - tieTerm / (total * (total - 1)));
        if (variance <= 0) return 1; // every value tied: nothing tells the samples apart
        double z = Math.Max(0, Math.Abs(u - mean) - 0.5) / Math.Sqrt(variance);
        return Erfc(z / Math.Sqrt(2));
    }

    /// <summary>
    /// The complementary error function for x ≥ 0 (.NET has none): the Maclaurin series of erf below 2, where it
    /// loses few digits to cancellation, the continued fraction above; relative error about 1e-13.
    /// </summary>
    internal static double Erfc(double x)
    {
        if (x < 0) throw new ArgumentOutOfRangeException(nameof(x), "only x ≥ 0 is needed here");
        if (x < 2)
        {
            // erf(x) = 2/√π · Σ (−1)^k x^(2k+1) / (k! (2k+1))
            double term = x, sum = x;
            for (int k = 1; k < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); k++)
            {
                term *= -x * x / k;
                sum += term / (2 * k + 1);
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated from a deep tail up.
        double fraction = x;
        for (int k = 100; k >= 1; k--) fraction = x + k / 2.0 / fraction;
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / fraction;
    }
}
