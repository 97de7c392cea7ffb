using Matryoshka.Diffusion;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Matryoshka.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Diffusion;

/// <summary>
/// ml-mdm's "rescale signal" (a nested model with <c>schedule_shifted: false</c>, or a single UNet's
/// <c>rescale_signal</c>): a level divides its clean image by c before noising, which lowers its SNR c²-fold; sampling
/// thresholds c·x̂₀ and returns c·x.
/// </summary>
public class SignalRescalingTests
{
    private const double C = 4;

    // Level 0 (16²) divides its signal by 4, as a nested ml-mdm model 16 → 4 without schedule_shifted does; level 1 does not.
    private static MultiResolutionSchedule Rescaled() => new(NoiseSchedules.CosineCapped(1000), new[] { 16, 4 }, 0, new[] { C, 1 });

    private static (NoisedBatch Batch, Tensor Images, Tensor[] Noise) Noised(MultiResolutionSchedule schedule, long[] steps)
    {
        var g = new Generator(21);
        var images = rand(new long[] { steps.Length, 3, 16, 16 }, generator: g) * 2 - 1;
        var noise = new[] { randn(new long[] { steps.Length, 3, 16, 16 }, generator: g), randn(new long[] { steps.Length, 3, 4, 4 }, generator: g) };
        return (NoisedBatch.Create(images, schedule, tensor(steps), noise), images, noise);
    }

    [Fact]
    public void Training_noises_the_image_divided_by_the_level_scale()
    {
        using var scope = NewDisposeScope();
        var steps = new long[] { 0, 99, 499, 998 };
        var (batch, images, noise) = Noised(Rescaled(), steps);

        var a = tensor(steps.Select(t => NoiseSchedules.CosineCapped(1000)[(int)t + 1]).ToArray()).view(-1, 1, 1, 1);
        TensorAssert.Close(images / C, batch.Signal[0], 1e-7, "signal of level 0");
        TensorAssert.Close(a.sqrt() * images / C + (1 - a).sqrt() * noise[0], batch.Noisy[0], 1e-6, "x_t of level 0");
        Assert.Same(batch.Clean[1], batch.Signal[1]);
        // Unshifted levels keep the base ᾱ bit for bit (ml-mdm's get_gammas does not recompute them).
        Assert.Equal(NoiseSchedules.CosineCapped(1000).AlphaBars, batch.Schedule.Level(0).AlphaBars);
        Assert.Equal(new[] { C, 1 }, batch.Schedule.SignalScales);
    }

    [Fact]
    public void Dividing_the_signal_by_c_is_the_schedule_with_snr_over_c_squared_up_to_scale()
    {
        using var scope = NewDisposeScope();
        var steps = new long[] { 0, 10, 250, 500, 750, 990 };
        var (batch, images, noise) = Noised(Rescaled(), steps);
        var shifted = NoiseSchedules.CosineCapped(1000).ShiftedForScale(C, 2);   // SNR / C²
        for (int i = 0; i < steps.Length; i++)
        {
            double g = NoiseSchedules.CosineCapped(1000)[(int)steps[i] + 1];
            double snr = g / (1 - g) / (C * C);
            double closedForm = snr / (1 + snr);
            Assert.Equal(closedForm, shifted[(int)steps[i] + 1], 1e-6);
            // x_t / √(g/c² + 1 − g) = √g'·x₀ + √(1 − g')·ε with g' the SNR/c² schedule.
            var normalised = batch.Noisy[0][i] / Math.Sqrt(g / (C * C) + 1 - g);
            var expected = Math.Sqrt(closedForm) * images[i] + Math.Sqrt(1 - closedForm) * noise[0][i];
            TensorAssert.Close(expected, normalised, 1e-5, $"t = {steps[i]}");
        }
    }

    [Fact]
    public void Loss_targets_use_the_rescaled_signal_except_in_the_single_unet_pipeline()
    {
        using var scope = NewDisposeScope();
        var (batch, images, noise) = Noised(Rescaled(), new long[] { 100, 600 });
        var outputs = batch.Noisy.Select(x => zeros_like(x)).ToArray();
        var options = new MultiResolutionLossOptions { ModelPrediction = PredictionType.VPrediction, LossTarget = PredictionType.VPrediction };
        var a = batch.AlphaBars[0].view(-1, 1, 1, 1);

        var nested = MultiResolutionLoss.Compute(options, batch, outputs);
        TensorAssert.Close(a.sqrt() * noise[0] - (1 - a).sqrt() * images / C, nested.Targets[0], 1e-6, "NestedSampler target");

        var single = MultiResolutionLoss.Compute(options with { TargetsUseUnscaledSignal = true }, batch, outputs);
        TensorAssert.Close(a.sqrt() * noise[0] - (1 - a).sqrt() * images, single.Targets[0], 1e-6, "Sampler target (diffusion.py:163)");
    }

    [Theory]
    [InlineData("clip")]
    [InlineData("dynamic")]
    [InlineData("none")]
    public void Thresholding_acts_on_the_image_c_times_x0(string kind)
    {
        using var scope = NewDisposeScope();
        var thresholding = kind switch { "clip" => Thresholding.Clip, "none" => Thresholding.None, _ => Thresholding.Dynamic };
        var x0 = randn(new long[] { 2, 3, 8, 8 }, generator: new Generator(4)) * 0.5;
        var expected = kind switch
        {
            "clip" => x0.clamp(-1 / C, 1 / C),
            "none" => x0,
            _ => thresholding.Apply(x0 * C) / C,
        };
        TensorAssert.Close(expected, thresholding.Apply(x0, C), 1e-7, kind);
        TensorAssert.Close(thresholding.Apply(x0), thresholding.Apply(x0, 1), 0, "scale 1");
    }

    [Fact]
    public void Sampling_thresholds_the_rescaled_level_and_returns_c_times_x()
    {
        using var scope = NewDisposeScope();
        var schedule = Rescaled();
        var plan = new SamplingPlan(schedule, new long[] { 500, 200, 0 }, PredictionType.Epsilon, Thresholding.Clip);
        var initial = new[] { randn(new long[] { 1, 3, 16, 16 }, generator: new Generator(8)), randn(new long[] { 1, 3, 4, 4 }, generator: new Generator(9)) };
        var previews = new List<Tensor>();
        // ε̂ = 0: x̂₀ = x_t/√ᾱ; DDIM η = 0 then moves to √ᾱ_s·x̂₀ + √(1−ᾱ_s)·(x_t − √ᾱ·x̂₀)/√(1−ᾱ).
        Denoiser zero = (noisy, _) => noisy.Select(x => zeros_like(x)).ToArray();

        var final = JointSampling.Run(zero, new DdimSampler(0), plan, initial.Select(x => x.shape).ToArray(), ScalarType.Float32, CPU,
            new RecordedNoiseSource(initial, (_, _) => null), step => previews.Add(step.Sample[0].clone().DetachFromDisposeScope()));

        var g = NoiseSchedules.CosineCapped(1000);
        for (int level = 0; level < 2; level++)
        {
            double c = schedule.SignalScales[level];
            Tensor x = initial[level];
            foreach (var (t, s, step) in new[] { (500, 200, 0), (200, 0, 1) })
            {
                var x0 = (x / Math.Sqrt(g[t])).clamp(-1 / c, 1 / c);          // clip_sample(x0, c): (c·x0).clip(−1, 1)/c
                var eps = (x - Math.Sqrt(g[t]) * x0) / Math.Sqrt(1 - g[t]);
                x = Math.Sqrt(g[s]) * x0 + Math.Sqrt(1 - g[s]) * eps;
                if (level == 0) TensorAssert.Close(x0 * c, previews[step], 1e-5, $"preview of step {step}");
            }
            TensorAssert.Close((x * c).clamp(-1, 1), final[level], 1e-5, $"level {level}: _postprocess multiplies by c, then clips");
        }
        Assert.True(final[0].abs().max().item<float>() > 1 / C + 0.1, "the rescaled level must reach beyond ±1/c");
    }
}
