using Matryoshka.Training;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>Training a grown model's inner level at a lower rate, and warming up only the new level's EMA.</summary>
public class InnerLearningRateAndEmaTests
{
    private static bool IsInner(string key) => key.StartsWith(ModelGrowth.InnerPrefix, StringComparison.Ordinal);

    private static TrainerOptions Options(double innerScale) =>
        new() { LearningRate = 1e-2, WeightDecay = 0.05, InnerLearningRateScale = innerScale, EmaDecay = 0.9, Seed = 5 };

    [Fact]
    public void With_scale_0_the_inner_weights_do_not_move_while_the_outer_level_trains()
    {
        using var scope = NewDisposeScope();
        using var model = TinyTraining.Model();
        var before = TinyTraining.Snapshot(model);
        using var trainer = new Trainer(model, TinyTraining.Schedule(), Options(innerScale: 0));
        var images = TinyTraining.Images(4, 1);
        var text = TinyTraining.Text(4, 2);
        for (int i = 0; i < 3; i++) Assert.True(trainer.Step(images, text).OptimizerStepped);

        var after = model.state_dict();
        foreach (var (key, value) in before.Where(p => IsInner(p.Key))) Assert.True(after[key].Identical(value), key);
        Assert.Contains(before.Where(p => !IsInner(p.Key)), p => !after[p.Key].Identical(p.Value));
    }

    [Fact]
    public void With_scale_s_the_first_update_of_every_inner_weight_is_s_times_the_base_rate_update()
    {
        using var scope = NewDisposeScope();
        const double s = 0.1;
        using var reference = TinyTraining.Model();
        using var scaled = TinyTraining.Model(copyOf: reference);
        var start = TinyTraining.Snapshot(reference);
        using var full = new Trainer(reference, TinyTraining.Schedule(), Options(innerScale: 1));
        using var low = new Trainer(scaled, TinyTraining.Schedule(), Options(innerScale: s));
        var images = TinyTraining.Images(4, 1);
        var text = TinyTraining.Text(4, 2);
        full.Step(images, text);
        low.Step(images, text);

        var fullWeights = reference.state_dict();
        var lowWeights = scaled.state_dict();
        int inner = 0;
        foreach (var (key, w0) in start)
        {
            if (!IsInner(key))
            {
                // Same data, draws and gradients: the outer level's update is the same, bit for bit.
                Assert.True(lowWeights[key].Identical(fullWeights[key]), key);
                continue;
            }
            var expected = (fullWeights[key] - w0) * s;
            var actual = lowWeights[key] - w0;
            if (expected.abs().max().item<float>() == 0) continue; // buffers and parameters without a gradient
            inner++;
            // AdamW's first update is ±lr·(1 + weight decay·w) per weight (|m̂| = √v̂); float32 rounding of w + Δ is the only difference.
            Assert.True(actual.allclose(expected, rtol: 1e-3, atol: 1e-7), $"{key}: off by {(actual - expected).abs().max().item<float>()}");
        }
        Assert.True(inner > 10, $"only {inner} inner tensors moved");
    }

    [Fact]
    public void Without_inner_warm_up_only_the_new_levels_average_copies_the_weights_at_first()
    {
        using var scope = NewDisposeScope();
        using var model = TinyTraining.Model();
        var start = TinyTraining.Snapshot(model);
        using var trainer = new Trainer(model, TinyTraining.Schedule(), Options(innerScale: 1) with { EmaWarmup = true, EmaWarmupInner = false });
        Assert.Equal(0.0, trainer.CurrentEmaDecay);
        Assert.Equal(0.9, trainer.CurrentInnerEmaDecay);
        trainer.Step(TinyTraining.Images(4, 1), TinyTraining.Text(4, 2));

        foreach (var (key, live) in model.state_dict())
        {
            var average = trainer.Ema.Weights[key];
            if (!IsInner(key)) Assert.True(average.Identical(live), key); // warm-up: the first update copies the weights
            else Assert.True(average.allclose(start[key] * 0.9 + live * 0.1, rtol: 1e-5, atol: 1e-7), key); // the full decay 0.9
        }
        Assert.Contains(model.state_dict(), p => IsInner(p.Key) && !p.Value.Identical(start[p.Key]));
    }

    [Fact]
    public void Inner_ema_without_warm_up_and_scales_outside_0_to_1_are_refused()
    {
        Assert.Throws<TrainerOptionsException>(() => new TrainerOptions { EmaWarmupInner = false }.Validate());
        Assert.Throws<TrainerOptionsException>(() => new TrainerOptions { InnerLearningRateScale = 1.5 }.Validate());
        Assert.Throws<TrainerOptionsException>(() => new TrainerOptions { InnerLearningRateScale = double.NaN }.Validate());
    }
}
