using Matryoshka.Diffusion;
using Matryoshka.Schedules;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Diffusion;

/// <summary>
/// ml-mdm's VDM loss weights (<c>use_vdm_loss_weights</c>): the table against ml-mdm's own buffer and against the
/// closed form SNR(t)/SNR(t + 1) − 1 (the weighted batch loss is replayed in <see cref="LossParityTests"/>).
/// </summary>
public class VdmLossWeightsTests
{
    public static TheoryData<string> Cases => new() { "two_level", "three_level" };

    [Theory, MemberData(nameof(Cases))]
    public void Table_from_ml_mdm_gammas_is_ml_mdm_buffer_bit_for_bit(string name)
    {
        using var scope = NewDisposeScope();
        var tensors = MlMdmFixture.Open(name).Load("schedule.safetensors");
        var gammas = new NoiseSchedule(tensors["gammas"].data<float>().ToArray());
        var expected = tensors["vdm_loss_weights"].data<float>().ToArray();

        Assert.Equal(expected, VdmLossWeights.Table(gammas));
    }

    [Theory, MemberData(nameof(Cases))]
    public void Table_of_our_schedule_matches_ml_mdm_buffer(string name)
    {
        using var scope = NewDisposeScope();
        var fixture = MlMdmFixture.Open(name);
        var expected = fixture.Load("schedule.safetensors")["vdm_loss_weights"];
        var actual = tensor(VdmLossWeights.Table(NoiseSchedules.CosineCapped(fixture.TrainSteps)));
        // Relative to each entry: the weights run from ~1e-4 (t = 0) to ~1e3 (t = N − 1).
        double worst = ((actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs() / expected.to(ScalarType.Float64).abs()).max().item<double>();
        Assert.True(worst < 1e-3, $"largest relative difference {worst:E3}");
    }

    public static TheoryData<string> Schedules => new() { "cosine_capped", "cosine_logsnr", "linear" };

    private static NoiseSchedule Schedule(string kind) => kind switch
    {
        "cosine_capped" => NoiseSchedules.CosineCapped(1000),
        "cosine_logsnr" => NoiseSchedules.CosineLogSnr(1000),
        _ => NoiseSchedules.Linear(1000),
    };

    [Theory, MemberData(nameof(Schedules))]
    public void A_sample_at_step_t_weighs_snr_of_t_over_snr_of_t_plus_one_minus_one(string kind)
    {
        using var scope = NewDisposeScope();
        var schedule = Schedule(kind);
        static double Snr(double g) => g / (1 - g);
        var steps = new long[] { 0, 1, 7, 250, 500, 998, 999 };
        var weights = VdmLossWeights.ForTimesteps(schedule, tensor(steps)).data<float>().ToArray();
        for (int i = 0; i < steps.Length; i++)
        {
            // Noised with ᾱ(t + 1); the step before it is ᾱ(t). At t = 0 that is the clean image (SNR ∞), so ml-mdm
            // repeats the weight of t = 1.
            long t = Math.Max(steps[i], 1);
            double expected = Snr(schedule[(int)t]) / Snr(schedule[(int)t + 1]) - 1;
            // float32 arithmetic: the − 1 cancels most digits where the ratio is close to 1.
            Assert.True(Math.Abs(weights[i] - expected) <= 5e-7 * Snr(schedule[(int)t]) / Snr(schedule[(int)t + 1]) + 1e-6 * Math.Abs(expected),
                $"{kind} t = {steps[i]}: {weights[i]} vs closed form {expected}");
        }
    }

    [Fact]
    public void The_capped_last_cosine_step_weighs_about_a_thousand()
    {
        var weights = VdmLossWeights.Table(NoiseSchedules.CosineCapped(1000));
        Assert.All(weights, w => Assert.True(w > 0, $"weight {w}"));
        // The last β is capped at 0.999: ᾱ(N) = ᾱ(N − 1)·0.001, so SNR drops ~1000-fold in one step.
        Assert.InRange(weights[1000], 990, 1000);
        Assert.Equal(weights[2], weights[0]);
        Assert.Equal(weights[2], weights[1]);
    }

    [Fact]
    public void A_single_step_schedule_has_no_vdm_weights()
    {
        Assert.Throws<ArgumentException>(() => VdmLossWeights.Table(new NoiseSchedule(new[] { 1f, 0.5f })));
    }
}
