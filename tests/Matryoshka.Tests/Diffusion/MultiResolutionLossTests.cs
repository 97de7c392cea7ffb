using Matryoshka.Diffusion;
using Matryoshka.Schedules;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Diffusion;

/// <summary>Closed-form checks that level weights, the mixed-resolution ratio and the level switch take effect.</summary>
public class MultiResolutionLossTests
{
    private static (NoisedBatch Batch, Tensor[] Outputs) Case()
    {
        var g = new Generator(11);
        var schedule = new MultiResolutionSchedule(NoiseSchedules.CosineCapped(1000), new[] { 16, 8 }, 1);
        var images = rand(new long[] { 3, 3, 16, 16 }, generator: g) * 2 - 1;
        var t = tensor(new long[] { 5, 400, 990 });
        var noise = new[] { randn(new long[] { 3, 3, 16, 16 }, generator: g), randn(new long[] { 3, 3, 8, 8 }, generator: g) };
        var batch = NoisedBatch.Create(images, schedule, t, noise);
        var outputs = new[] { randn(new long[] { 3, 3, 16, 16 }, generator: g), randn(new long[] { 3, 3, 8, 8 }, generator: g) };
        return (batch, outputs);
    }

    [Fact]
    public void Level_mse_is_the_per_sample_mean_of_squared_epsilon_error()
    {
        using var scope = NewDisposeScope();
        var (batch, outputs) = Case();
        var result = MultiResolutionLoss.Compute(new MultiResolutionLossOptions(), batch, outputs);
        for (int l = 0; l < 2; l++)
        {
            // ε̂ − ε = √ᾱ·(v̂ − v): the ε loss is the ᾱ-weighted v loss.
            var g = batch.AlphaBars[l].view(3, 1, 1, 1);
            var v = Parameterization.Target(PredictionType.VPrediction, batch.Clean[l], batch.Noise[l], batch.AlphaBars[l]);
            var expected = (g * (outputs[l] - v).square()).mean(new long[] { 1, 2, 3 });
            TensorAssert.RelativelyClose(expected, result.LevelMse[l], 1e-4, $"level {l} mse");
        }
        TensorAssert.Close(result.LevelMse[0] + result.LevelMse[1], result.PerSample, 1e-6, "unweighted sum");
        TensorAssert.Close(result.PerSample.mean(), result.Total, 1e-6, "batch mean");
    }

    [Fact]
    public void Level_weights_take_effect()
    {
        using var scope = NewDisposeScope();
        var (batch, outputs) = Case();
        var result = MultiResolutionLoss.Compute(new MultiResolutionLossOptions { LevelWeights = new[] { 4.0, 1.0 } }, batch, outputs);
        TensorAssert.Close(4 * result.LevelMse[0] + result.LevelMse[1], result.PerSample, 1e-5, "4:1 weighted sum");
    }

    [Fact]
    public void Mixed_ratio_keeps_the_first_fraction_of_the_batch_at_high_resolution_and_rescales_it()
    {
        using var scope = NewDisposeScope();
        var (batch, outputs) = Case();
        var options = new MultiResolutionLossOptions { MixedRatio = MixedResolutionBatch.Parse("2:1") };
        var result = MultiResolutionLoss.Compute(options, batch, outputs);
        var mse0 = result.LevelMse[0].data<float>().ToArray();
        var mse1 = result.LevelMse[1].data<float>().ToArray();
        var perSample = result.PerSample.data<float>().ToArray();
        // f = [2/3, 1]: samples 0 and 1 carry level 0 (loss / (2/3)); sample 2 only level 1.
        Assert.Equal(mse0[0] * 1.5 + mse1[0], perSample[0], 1e-5);
        Assert.Equal(mse0[1] * 1.5 + mse1[1], perSample[1], 1e-5);
        Assert.Equal(mse1[2], perSample[2], 1e-6);
        Assert.Equal(new[] { 2.0 / 3.0, 1.0 }, options.MixedRatio.Fractions);
        Assert.Equal(2, options.MixedRatio.RowsAtLevel(0, 3));
    }

    [Fact]
    public void Only_the_output_level_counts_without_the_multi_level_loss()
    {
        using var scope = NewDisposeScope();
        var (batch, outputs) = Case();
        var result = MultiResolutionLoss.Compute(new MultiResolutionLossOptions { LossOnAllLevels = false }, batch, outputs);
        TensorAssert.Close(result.LevelMse[0], result.PerSample, 0, "level-0 only");
    }

    [Fact]
    public void Perfect_predictions_give_zero_loss()
    {
        using var scope = NewDisposeScope();
        var (batch, _) = Case();
        var perfect = Enumerable.Range(0, 2)
            .Select(l => Parameterization.Target(PredictionType.VPrediction, batch.Clean[l], batch.Noise[l], batch.AlphaBars[l])).ToArray();
        var result = MultiResolutionLoss.Compute(new MultiResolutionLossOptions(), batch, perfect);
        Assert.True(result.Total.item<float>() < 1e-6, $"loss {result.Total.item<float>()}");
    }

    [Fact]
    public void Inconsistent_options_and_inputs_are_refused()
    {
        using var scope = NewDisposeScope();
        var (batch, outputs) = Case();
        Assert.Throws<ArgumentException>(() => MultiResolutionLoss.Compute(new MultiResolutionLossOptions { LevelWeights = new[] { 16.0, 4, 1 } }, batch, outputs));
        Assert.Throws<ArgumentException>(() => MultiResolutionLoss.Compute(new MultiResolutionLossOptions { LevelWeights = new[] { 4.0, 1 }, LossOnAllLevels = false }, batch, outputs));
        Assert.Throws<ArgumentException>(() => MultiResolutionLoss.Compute(new MultiResolutionLossOptions { MixedRatio = MixedResolutionBatch.Parse("1:1:1") }, batch, outputs));
        Assert.Throws<ArgumentException>(() => MultiResolutionLoss.Compute(new MultiResolutionLossOptions(), batch, outputs.Take(1).ToArray()));
        Assert.Throws<ArgumentException>(() => MixedResolutionBatch.Parse("2:0"));
        Assert.Throws<FormatException>(() => MixedResolutionBatch.Parse("2:x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoisedBatch.Create(zeros(1, 3, 16, 16),
            new MultiResolutionSchedule(NoiseSchedules.CosineCapped(1000), new[] { 16, 8 }), tensor(new long[] { 1000 }), outputs));
    }

    [Fact]
    public void Sampled_noise_is_independent_per_level_and_reproducible()
    {
        using var scope = NewDisposeScope();
        var like = new[] { zeros(2, 3, 16, 16), zeros(2, 3, 8, 8) };
        var a = ForwardProcess.SampleNoise(like, new Generator(5));
        var b = ForwardProcess.SampleNoise(like, new Generator(5));
        TensorAssert.Close(a[0], b[0], 0, "same seed, level 0");
        TensorAssert.Close(a[1], b[1], 0, "same seed, level 1");
        // Level 1 is fresh noise, not the pooled level-0 noise (ml-mdm overwrites the pooled noise).
        var pooled = nn.functional.avg_pool2d(a[0], 2) * 2;
        Assert.True((pooled - a[1]).abs().max().item<float>() > 0.5f);
    }
}
