using Matryoshka.Evaluation;
using Xunit;

namespace Matryoshka.Tests.Evaluation;

public class FrechetDistanceTests
{
    private static float[][] Gaussian(int rows, double[] mean, double[] deviation, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Enumerable.Range(0, rows).Select(_ => mean.Select((m, d) => (float)(m + deviation[d] * Normal())).ToArray()).ToArray();
    }

    [Fact]
    public void A_set_is_at_distance_zero_from_itself_and_a_shift_by_d_costs_exactly_the_squared_norm_of_d()
    {
        var set = Gaussian(300, new[] { 1.0, -2, 0.5, 3 }, new[] { 1.0, 0.5, 2, 0.1 }, seed: 1);
        Assert.Equal(0, FrechetDistance.Compute(set, set), 8);

        var shift = new[] { 0.5f, -1f, 2f, 0.25f };
        var shifted = set.Select(row => row.Select((v, d) => v + shift[d]).ToArray()).ToArray();
        double squared = shift.Sum(v => (double)v * v); // 5.3125
        Assert.Equal(squared, FrechetDistance.Compute(set, shifted), 4); // float32 rows: the shifted copies round
    }

    [Fact]
    public void Large_samples_of_two_diagonal_gaussians_approach_the_closed_form()
    {
        double[] meanA = { 0, 1, -1 }, meanB = { 1, 1, 0 }, deviationA = { 1, 2, 0.5 }, deviationB = { 2, 1, 0.5 };
        // ‖μ₁ − μ₂‖² + Σ (σ₁ − σ₂)² for diagonal covariances = 2 + (1 + 1 + 0) = 4.
        double expected = meanA.Zip(meanB, (a, b) => (a - b) * (a - b)).Sum() + deviationA.Zip(deviationB, (a, b) => (a - b) * (a - b)).Sum();
        double actual = FrechetDistance.Compute(Gaussian(40_000, meanA, deviationA, 2), Gaussian(40_000, meanB, deviationB, 3));
        // Sample means and variances of 40,000 draws are off by ~σ/200 and ~σ²/140: a few hundredths in total.
        Assert.InRange(actual, expected - 0.1, expected + 0.1);
    }

    [Fact]
    public void Correlated_two_dimensional_sets_match_the_two_by_two_closed_form()
    {
        var random = new Random(4);
        float[][] Correlated(double mix, double offset) => Enumerable.Range(0, 500).Select(_ =>
        {
            double x = random.NextDouble() * 2 - 1, y = random.NextDouble() * 2 - 1;
            return new[] { (float)(x + offset), (float)(mix * x + y) };
        }).ToArray();
        var a = Correlated(0.8, 0);
        var b = Correlated(-1.5, 2);

        // For SPD 2×2 matrices, Tr((Σ₁Σ₂)^½) = √(Tr(Σ₁Σ₂) + 2√(det Σ₁ · det Σ₂)).
        var (meanA, covA) = Moments(a);
        var (meanB, covB) = Moments(b);
        double traceProduct = covA[0, 0] * covB[0, 0] + 2 * covA[0, 1] * covB[0, 1] + covA[1, 1] * covB[1, 1];
        double determinants = (covA[0, 0] * covA[1, 1] - covA[0, 1] * covA[0, 1]) * (covB[0, 0] * covB[1, 1] - covB[0, 1] * covB[0, 1]);
        double expected = Math.Pow(meanA[0] - meanB[0], 2) + Math.Pow(meanA[1] - meanB[1], 2)
            + covA[0, 0] + covA[1, 1] + covB[0, 0] + covB[1, 1] - 2 * Math.Sqrt(traceProduct + 2 * Math.Sqrt(determinants));

        Assert.Equal(expected, FrechetDistance.Compute(a, b), 9);
    }

    private static (double[] Mean, double[,] Covariance) Moments(float[][] rows)
    {
        var mean = new[] { rows.Average(r => (double)r[0]), rows.Average(r => (double)r[1]) };
        var covariance = new double[2, 2];
        foreach (var row in rows)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    covariance[i, j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (rows.Length - 1);
        return (mean, covariance);
    }

    [Fact]
    public void Sets_that_cannot_be_compared_are_refused()
    {
        var good = new[] { new[] { 1f, 2 }, new[] { 3f, 4 } };
        Assert.Throws<FeatureSetException>(() => FrechetDistance.Compute(good, new[] { new[] { 1f, 2 } }));
        Assert.Throws<FeatureSetException>(() => FrechetDistance.Compute(good, new[] { new[] { 1f, 2, 3 }, new[] { 1f, 2, 3 } }));
        Assert.Throws<FeatureSetException>(() => FrechetDistance.Compute(good, new[] { new[] { 1f, 2 }, new[] { 1f } }));
        Assert.Throws<FeatureSetException>(() => FrechetDistance.Compute(good, new[] { new[] { 1f, float.NaN }, new[] { 1f, 2 } }));
    }
}
