using Matryoshka.Schedules;
using Xunit;

namespace Matryoshka.Tests.Schedules;

/// <summary>Closed-form properties of the base schedules and the per-level shift.</summary>
public class NoiseScheduleTests
{
    private static double CosineAlphaBar(double s) => Math.Pow(Math.Cos((s + 0.008) / 1.008 * Math.PI / 2), 2);

    [Fact]
    public void Cosine_capped_telescopes_to_the_cosine_ratio_until_the_cap()
    {
        var schedule = NoiseSchedules.CosineCapped(1000);
        Assert.Equal(1000, schedule.TrainSteps);
        Assert.Equal(1f, schedule[0]);
        // Uncapped: ᾱ_i = Π (ᾱ(k+1)/ᾱ(k)) = ᾱ(i/N) / ᾱ(0).
        foreach (int i in new[] { 1, 10, 500, 900, 999 })
            Assert.Equal(CosineAlphaBar(i / 1000.0) / CosineAlphaBar(0), schedule[i], 1e-6);
        // The last β is capped at 0.999.
        Assert.Equal(schedule[999] * 0.001, schedule[1000], 1e-12);
    }

    [Fact]
    public void Linear_schedule_is_the_product_of_one_minus_beta()
    {
        var schedule = NoiseSchedules.Linear(10, 0.1, 0.5);
        double product = 1;
        for (int i = 0; i < 10; i++)
        {
            product *= 1 - (0.1 + i * 0.4 / 9);
            Assert.Equal(product, schedule[i + 1], 1e-7);
        }
    }

    [Fact]
    public void Cosine_log_snr_spans_plus_five_to_minus_five()
    {
        var schedule = NoiseSchedules.CosineLogSnr(100);
        static double LogSnr(float g) => Math.Log(g / (1.0 - g));
        Assert.Equal(5.0, LogSnr(schedule[1]), 4);
        Assert.Equal(-5.0, LogSnr(schedule[100]), 4);
        Assert.Equal(0.0, LogSnr(NoiseSchedules.CosineLogSnr(101)[51]), 4);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(2, 2)]
    [InlineData(16, 2)]
    [InlineData(3, 1.5)]
    public void Shift_divides_snr_by_scale_to_the_power(double scale, double power)
    {
        var baseSchedule = NoiseSchedules.CosineCapped(1000);
        var shifted = baseSchedule.ShiftedForScale(scale, power);
        Assert.Equal(1f, shifted[0]);
        // Not index 1: there 1 − ᾱ ≈ 4e-5 holds only ~3 significant float32 digits.
        foreach (int i in new[] { 50, 100, 500, 900, 1000 })
        {
            double snrBase = baseSchedule[i] / (1.0 - baseSchedule[i]);
            double snrShifted = shifted[i] / (1.0 - shifted[i]);
            Assert.Equal(Math.Pow(scale, power), snrBase / snrShifted, 1e-4 * Math.Pow(scale, power));
        }
    }

    [Fact]
    public void Scale_one_is_never_shifted()
    {
        var schedule = NoiseSchedules.CosineCapped(1000);
        Assert.Same(schedule, schedule.ShiftedForScale(1, 2));
    }

    [Fact]
    public void Level_schedules_use_side_over_lowest_side()
    {
        var baseSchedule = NoiseSchedules.CosineCapped(1000);
        var multi = new MultiResolutionSchedule(baseSchedule, new[] { 1024, 256, 64 }, shiftPower: 2);
        Assert.Equal(new[] { 16, 4, 1 }, multi.Scales);
        Assert.Equal(baseSchedule.ShiftedForScale(16, 2).AlphaBars, multi.Level(0).AlphaBars);
        Assert.Equal(baseSchedule.ShiftedForScale(4, 2).AlphaBars, multi.Level(1).AlphaBars);
        Assert.Same(baseSchedule, multi.Level(2));
    }

    [Fact]
    public void Invalid_schedules_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseSchedules.CosineCapped(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseSchedules.CosineCapped(1000, maxBeta: 1.5));
        Assert.Throws<ArgumentException>(() => NoiseSchedules.Linear(10, 0.5, 0.1));
        Assert.Throws<ArgumentException>(() => new NoiseSchedule(new[] { 0.9f, 0.5f }));
        Assert.Throws<ArgumentException>(() => new NoiseSchedule(new[] { 1f, float.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseSchedules.CosineCapped(10).ShiftedForScale(-2, 1));
        Assert.Throws<ArgumentException>(() => new MultiResolutionSchedule(NoiseSchedules.CosineCapped(10), new[] { 64, 256 }));
        Assert.Throws<ArgumentException>(() => new MultiResolutionSchedule(NoiseSchedules.CosineCapped(10), new[] { 256, 96 }));
    }
}
