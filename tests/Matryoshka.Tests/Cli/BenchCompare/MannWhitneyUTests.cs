using Matryoshka.Benchmarks.Comparison;
using Xunit;

namespace Matryoshka.Tests.Cli.BenchCompare;

public class MannWhitneyUTests
{
    [Fact]
    public void Fully_separated_samples_of_three_have_the_exact_p_of_two_orderings_in_twenty()
    {
        // C(6,3) = 20 equally likely orderings; U = 0 and U = 9 are one each, so the two-sided p is 2/20.
        var result = MannWhitneyU.Test([1, 2, 3], [4, 5, 6]);

        Assert.Equal(0, result.U);
        Assert.True(result.Exact);
        Assert.False(result.XTendsLarger);
        Assert.Equal(0.1, result.PValue, 12);
    }

    [Fact]
    public void One_inversion_counts_the_orderings_with_U_at_most_one()
    {
        // x = {1, 2, 4}, y = {3, 5, 6}: only 4 > 3, so U = 1; P(U ≤ 1) = (1 + 1)/20, two-sided 0.2.
        var result = MannWhitneyU.Test([1, 2, 4], [3, 5, 6]);

        Assert.Equal(1, result.U);
        Assert.Equal(0.2, result.PValue, 12);
    }

    [Fact]
    public void The_exact_distribution_is_the_Gaussian_binomial_coefficient()
    {
        // m = n = 2: the six orderings give U = 0, 1, 2, 2, 3, 4.
        Assert.Equal(new double[] { 1, 1, 2, 1, 1 }, MannWhitneyU.UCounts(2, 2));
        // m = n = 3, listed by hand from the 20 orderings (partitions of U into at most 3 parts of at most 3).
        Assert.Equal(new double[] { 1, 1, 2, 3, 3, 3, 3, 2, 1, 1 }, MannWhitneyU.UCounts(3, 3));
        var counts = MannWhitneyU.UCounts(7, 9);
        Assert.Equal(11440, counts.Sum()); // C(16, 7)
        Assert.Equal(counts, counts.Reverse());
    }

    [Fact]
    public void Ties_use_the_normal_approximation_with_tie_and_continuity_corrections()
    {
        // Pooled 1,1,2,2,3,3 → mid-ranks 1.5,1.5,3.5,3.5,5.5,5.5; x's rank sum 6.5, U = 6.5 − 6 = 0.5.
        // Var U = mn/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))) = 9/12 · (7 − 18/30) = 4.8; z = (4.5 − 0.5 − 0.5)/√4.8.
        var result = MannWhitneyU.Test([1, 1, 2], [2, 3, 3]);

        Assert.Equal(0.5, result.U);
        Assert.False(result.Exact);
        Assert.Equal(0.110148924185947, result.PValue, 9); // erfc(z/√2)
    }

    [Fact]
    public void All_values_tied_give_no_evidence()
    {
        var result = MannWhitneyU.Test([5, 5, 5], [5, 5]);

        Assert.Equal(3, result.U);
        Assert.Equal(1, result.PValue);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1, 0.1572992070502851)]
    [InlineData(2, 0.004677734981047266)]
    [InlineData(3, 2.209049699858544e-05)]
    [InlineData(5, 1.537459794428035e-12)]
    public void Erfc_matches_published_values(double x, double expected) =>
        Assert.Equal(expected, MannWhitneyU.Erfc(x), expected * 1e-11);

    [Fact]
    public void Direction_follows_which_sample_is_larger()
    {
        var result = MannWhitneyU.Test([10, 11, 12, 13], [1, 2, 3, 4.5]);

        Assert.Equal(16, result.U);
        Assert.True(result.XTendsLarger);
        Assert.Equal(2.0 / 70, result.PValue, 12); // C(8,4) = 70
    }
}
