using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Models;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Matryoshka.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Sampling;

/// <summary>Guidance arithmetic, thresholding, and the sampling loop's determinism, cancellation and memory.</summary>
public class GuidanceAndLoopTests
{
    private static NestedUNet SmallModel()
    {
        var config = NestedUNetBuilder.Create()
            .AddStage(8, s => s.Channels(32, 32).ResNets(1).Attention(1).TextProjection(32).MicroConditioning())
            .AddStage(16, s => s.Channels(32, 32).ResNets(1).MicroConditioning())
            .WithTextEmbeddingDim(16).Build();
        manual_seed(5);
        var model = new NestedUNet(config);
        using (no_grad())
            foreach (var p in model.parameters()) p.add_(randn(p.shape, generator: new Generator(3)) * 0.02);
        model.eval();
        return model;
    }

    private static (TextConditioning Cond, TextConditioning Uncond) Text(int batch)
    {
        var g = new Generator(9);
        return (new TextConditioning(randn(new long[] { batch, 4, 16 }, generator: g), ones(batch, 4)),
                new TextConditioning(randn(new long[] { batch, 2, 16 }, generator: g), ones(batch, 2)));
    }

    private static SamplingPlan Plan(int steps) => new(
        new MultiResolutionSchedule(NoiseSchedules.CosineCapped(1000), new[] { 16, 8 }, 1),
        SamplingTimesteps.Create(1000, steps), PredictionType.VPrediction, Thresholding.Clip);

    private static readonly long[][] Shapes = { new long[] { 2, 3, 16, 16 }, new long[] { 2, 3, 8, 8 } };

    [Fact]
    public void Guidance_is_unconditional_plus_scale_times_difference()
    {
        using var scope = NewDisposeScope();
        var u = randn(2, 3, 4, 4);
        var c = randn(2, 3, 4, 4);
        TensorAssert.Close(u + 3.5 * (c - u), ClassifierFreeGuidance.Combine(u, c, new ClassifierFreeGuidanceOptions { Scale = 3.5 }), 1e-6, "cfg");
        TensorAssert.Close(c, ClassifierFreeGuidance.Combine(u, c, new ClassifierFreeGuidanceOptions { Scale = 1 }), 1e-6, "w = 1");
    }

    [Fact]
    public void Full_rescale_gives_the_conditional_std_per_sample_and_half_rescale_blends()
    {
        using var scope = NewDisposeScope();
        var u = randn(new long[] { 2, 3, 8, 8 }, generator: new Generator(1));
        var c = randn(new long[] { 2, 3, 8, 8 }, generator: new Generator(2)) * 0.5;
        var plain = ClassifierFreeGuidance.Combine(u, c, new ClassifierFreeGuidanceOptions { Scale = 7 });
        var full = ClassifierFreeGuidance.Combine(u, c, new ClassifierFreeGuidanceOptions { Scale = 7, Rescale = 1 });
        var dims = new long[] { 1, 2, 3 };
        TensorAssert.Close(c.std(dims), full.std(dims), 1e-5, "per-sample std");
        var half = ClassifierFreeGuidance.Combine(u, c, new ClassifierFreeGuidanceOptions { Scale = 7, Rescale = 0.5 });
        TensorAssert.Close(0.5 * full + 0.5 * plain, half, 1e-5, "φ = 0.5 blend");
    }

    [Fact]
    public void Outside_the_guidance_interval_the_conditional_prediction_is_used_alone()
    {
        using var model = SmallModel();
        using var scope = NewDisposeScope();
        var (cond, uncond) = Text(2);
        var options = new ClassifierFreeGuidanceOptions { Scale = 4, IntervalStart = 0.5, IntervalEnd = 1 };
        var guided = ClassifierFreeGuidance.Wrap(model, cond, uncond, options, 1000);
        var x = new[] { randn(2, 3, 16, 16), randn(2, 3, 8, 8) };
        using var inference = inference_mode();

        var early = tensor(new long[] { 99, 99 });          // index 100 of 1000: outside [0.5, 1]
        var plain = model.Forward(x, early, cond.Embeddings, cond.Mask);
        var outside = guided(x, early);
        for (int l = 0; l < 2; l++) TensorAssert.Close(plain[l], outside[l], 0, $"outside, level {l}");

        var late = tensor(new long[] { 899, 899 });
        var inside = guided(x, late);
        var c = model.Forward(x, late, cond.Embeddings, cond.Mask);
        var (padU, padC) = TextConditioning.PadToCommonLength(uncond, cond);
        var u = model.Forward(x, late, padU.Embeddings, padU.Mask);
        for (int l = 0; l < 2; l++) TensorAssert.Close(u[l] + 4 * (c[l] - u[l]), inside[l], 1e-5, $"inside, level {l}");
    }

    [Fact]
    public void Guidance_off_needs_no_unconditional_branch_and_is_the_plain_model()
    {
        using var model = SmallModel();
        using var scope = NewDisposeScope();
        var (cond, _) = Text(2);
        var x = new[] { randn(2, 3, 16, 16), randn(2, 3, 8, 8) };
        var t = tensor(new long[] { 500, 500 });
        using var inference = inference_mode();
        var off = ClassifierFreeGuidance.Wrap(model, cond, unconditional: null, scale: 1)(x, t);
        var plain = model.Forward(x, t, cond.Embeddings, cond.Mask);
        for (int l = 0; l < 2; l++) TensorAssert.Close(plain[l], off[l], 0, $"level {l}");
        Assert.False(new ClassifierFreeGuider(new ClassifierFreeGuidanceOptions { Scale = 1 }).NeedsUnconditional);
        Assert.Throws<ArgumentNullException>(() => ClassifierFreeGuidance.Wrap(model, cond, null, 2));
    }

    [Fact]
    public void Dynamic_thresholding_scales_by_the_clamped_quantile()
    {
        using var scope = NewDisposeScope();
        // Sample 0: |x| uniform on 0..2 → 95th percentile ≈ 1.9, capped at 1.5. Sample 1: all within [−0.5, 0.5] → s = 1.
        var ramp = linspace(-2, 2, 401);
        var x = stack(new[] { ramp, ramp * 0.25 }).reshape(2, 1, 1, 401);
        var result = Thresholding.DeepFloyd.Apply(x);
        TensorAssert.Close((ramp.clamp(-1.5, 1.5) / 1.5).reshape(1, 1, 1, 401), result.narrow(0, 0, 1), 1e-6, "s = 1.5");
        TensorAssert.Close((ramp * 0.25).reshape(1, 1, 1, 401), result.narrow(0, 1, 1), 1e-6, "s = 1");
        TensorAssert.Close(x.clamp(-1, 1), Thresholding.Clip.Apply(x), 0, "clip");
        Assert.Throws<ArgumentOutOfRangeException>(() => Thresholding.DynamicWith(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Thresholding.DynamicWith(0.9, 0.5));
    }

    [Fact]
    public void Same_seed_gives_bit_identical_images_and_different_seeds_differ()
    {
        using var model = SmallModel();
        using var scope = NewDisposeScope();
        var (cond, uncond) = Text(2);
        var guided = ClassifierFreeGuidance.Wrap(model, cond, uncond, 3);
        using var inference = inference_mode();
        Tensor[] Sample(ulong seed) => JointSampling.Run(guided, new DdpmSampler(), Plan(4), Shapes, ScalarType.Float32, CPU, new GeneratorNoiseSource(seed));
        var a = Sample(11);
        var b = Sample(11);
        var c = Sample(12);
        for (int l = 0; l < 2; l++) TensorAssert.Close(a[l], b[l], 0, $"same seed, level {l}");
        Assert.True((a[0] - c[0]).abs().max().item<float>() > 0.1f);
        Assert.All(a, level => Assert.True(level.abs().max().item<float>() <= 1f));
    }

    [Fact]
    public void Cancellation_stops_within_a_step_and_leaves_everything_usable()
    {
        using var model = SmallModel();
        using var scope = NewDisposeScope();
        var (cond, uncond) = Text(2);
        var guided = ClassifierFreeGuidance.Wrap(model, cond, uncond, 3);
        using var cts = new CancellationTokenSource();
        int steps = 0;
        using var inference = inference_mode();
        Assert.Throws<OperationCanceledException>(() => JointSampling.Run(guided, new DdimSampler(), Plan(10), Shapes, ScalarType.Float32, CPU,
            new GeneratorNoiseSource(1), _ => { if (++steps == 2) cts.Cancel(); }, cts.Token));
        Assert.Equal(2, steps);
        var again = JointSampling.Run(guided, new DdimSampler(), Plan(3), Shapes, ScalarType.Float32, CPU, new GeneratorNoiseSource(1));
        Assert.Equal(2, again.Length);
    }

    [Fact]
    public void One_hundred_steps_leave_only_the_results_alive()
    {
        using var model = SmallModel();
        var (cond, uncond) = Text(2);
        var guided = ClassifierFreeGuidance.Wrap(model, cond, uncond, 3);
        using var inference = inference_mode();
        DisposeScopeManager.Statistics.Reset();
        var result = JointSampling.Run(guided, new DdpmSampler(), Plan(100), Shapes, ScalarType.Float32, CPU, new GeneratorNoiseSource(2));
        Assert.Equal(result.Length, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (var r in result) r.Dispose();
    }
}
