using Matryoshka.Schedules;
using Xunit;

namespace Matryoshka.Tests.Schedules;

/// <summary>
/// Sampling steps. diffusers' values for N = 1000, n = 10 are those tabulated in Lin et al., "Common Diffusion
/// Noise Schedules and Sample Steps are Flawed" (Table 2); ours are the same steps + 1 with a final 0.
/// </summary>
public class SamplingTimestepsTests
{
    [Fact]
    public void Matryoshka_style_examples_from_ml_mdm()
    {
        Assert.Equal(Enumerable.Range(0, 1001).Reverse().Select(i => (long)i), SamplingTimesteps.Create(1000, 1000));
        var fifty = SamplingTimesteps.Create(1000, 50);
        Assert.Equal(new long[] { 981, 962, 942 }, fifty.Take(3));
        Assert.Equal(new long[] { 20, 0 }, fifty.TakeLast(2));
        var quarter = SamplingTimesteps.Create(1000, 250);
        Assert.Equal(new long[] { 997, 993 }, quarter.Take(2));
    }

    [Fact]
    public void Linspace_matches_diffusers_plus_one()
    {
        long[] diffusers = { 999, 888, 777, 666, 555, 444, 333, 222, 111, 0 };
        Assert.Equal(diffusers.Select(t => t + 1).Append(0L), SamplingTimesteps.Create(1000, 10, TimestepSpacing.Linspace));
    }

    [Fact]
    public void Leading_with_offset_one_matches_diffusers_plus_one()
    {
        long[] diffusers = { 901, 801, 701, 601, 501, 401, 301, 201, 101, 1 };
        Assert.Equal(diffusers.Select(t => t + 1).Append(0L), SamplingTimesteps.Create(1000, 10, TimestepSpacing.Leading, stepsOffset: 1));
    }

    [Fact]
    public void Trailing_matches_diffusers_plus_one_and_starts_at_the_noisiest_step()
    {
        long[] diffusers = { 999, 899, 799, 699, 599, 499, 399, 299, 199, 99 };
        var steps = SamplingTimesteps.Create(1000, 10, TimestepSpacing.Trailing);
        Assert.Equal(diffusers.Select(t => t + 1).Append(0L), steps);
        Assert.Equal(1000, steps[0]);
        Assert.Equal(4, SamplingTimesteps.Create(1000, 3, TimestepSpacing.Trailing).Length);
    }

    [Theory]
    [InlineData(TimestepSpacing.MatryoshkaStyle)]
    [InlineData(TimestepSpacing.Linspace)]
    [InlineData(TimestepSpacing.Leading)]
    [InlineData(TimestepSpacing.Trailing)]
    public void Every_spacing_is_strictly_decreasing_within_range_and_ends_clean(TimestepSpacing spacing)
    {
        foreach (int n in new[] { 1, 2, 7, 50, 999, 1000 })
        {
            var steps = SamplingTimesteps.Create(1000, n, spacing);
            Assert.Equal(n + 1, steps.Length);
            Assert.Equal(0, steps[^1]);
            Assert.InRange(steps[0], 1, 1000);
            for (int i = 1; i < steps.Length; i++) Assert.True(steps[i] < steps[i - 1], $"{spacing} n={n} at {i}");
        }
    }

    [Fact]
    public void Bad_step_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SamplingTimesteps.Create(1000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SamplingTimesteps.Create(1000, 1001));
        Assert.Throws<ArgumentOutOfRangeException>(() => SamplingTimesteps.Create(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SamplingTimesteps.Create(1000, 10, TimestepSpacing.Trailing, stepsOffset: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SamplingTimesteps.Create(1000, 1000, TimestepSpacing.Leading, stepsOffset: 1));
    }
}
