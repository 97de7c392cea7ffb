using Matryoshka.Diffusion;
using Matryoshka.Schedules;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Diffusion;

/// <summary>
/// One ml-mdm <c>NestedDiffusion.get_loss</c> call (loss.safetensors) replayed with the recorded noise, steps and
/// network outputs: every intermediate must match the reference.
/// </summary>
public class LossParityTests
{
    public static TheoryData<string> Cases => new() { "two_level", "three_level" };

    [Theory, MemberData(nameof(Cases))]
    public void Noised_batch_matches_get_loss_inputs(string name)
    {
        using var scope = NewDisposeScope();
        var (fixture, tensors, batch) = Replay(name);
        for (int l = 0; l < fixture.LevelResolutions.Length; l++)
        {
            TensorAssert.Close(tensors[$"images.{l}"], batch.Clean[l], 1e-6, $"images.{l}");
            TensorAssert.Close(tensors[$"gamma.{l}"], batch.AlphaBars[l], 1e-6, $"gamma.{l}");
            TensorAssert.Close(tensors[$"gamma_last.{l}"], batch.PreviousAlphaBars[l], 1e-6, $"gamma_last.{l}");
            TensorAssert.Close(tensors[$"x_t.{l}"], batch.Noisy[l], 1e-5, $"x_t.{l}");
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void Loss_matches_get_loss(string name)
    {
        using var scope = NewDisposeScope();
        var (fixture, tensors, batch) = Replay(name);
        int levels = fixture.LevelResolutions.Length;

        var result = MultiResolutionLoss.Compute(FixtureLoss(fixture), batch, Outputs(fixture, tensors));

        for (int l = 0; l < levels; l++)
        {
            TensorAssert.Close(tensors[$"target.{l}"], result.Targets[l], 1e-5, $"target.{l}");
            // v → ε divides by √(1−ᾱ) ≈ 0.006 at t = 0: the fixture README allows 1e-4 there.
            TensorAssert.Close(tensors[$"pred.{l}"], result.Predictions[l], 1e-4, $"pred.{l}");
            TensorAssert.RelativelyClose(tensors[$"loss_level_mse.{l}"], result.LevelMse[l], 1e-5, $"loss_level_mse.{l}");
        }
        TensorAssert.RelativelyClose(tensors["loss_per_sample"], result.PerSample, 1e-5, "loss_per_sample");
        TensorAssert.RelativelyClose(tensors["loss"], result.Total, 1e-5, "loss");
    }

    [Theory, MemberData(nameof(Cases))]
    public void Vdm_weighted_loss_replays_ml_mdm_trainer_reduction(string name)
    {
        using var scope = NewDisposeScope();
        var (fixture, tensors, batch) = Replay(name);

        var result = MultiResolutionLoss.Compute(FixtureLoss(fixture) with { VdmWeights = true }, batch, Outputs(fixture, tensors));

        // trainer.train_batch with weights: (losses * w).sum() / w.sum(), w = ml-mdm's vdm_loss_weights[t + 1].
        var w = fixture.Load("schedule.safetensors")["vdm_loss_weights"].to(ScalarType.Float64).index_select(0, tensors["t"] + 1);
        var expected = (tensors["loss_per_sample"].to(ScalarType.Float64) * w).sum() / w.sum();
        TensorAssert.RelativelyClose(expected, result.Total, 1e-5, "VDM-weighted loss");
        TensorAssert.RelativelyClose(tensors["loss_per_sample"], result.PerSample, 1e-5, "per-sample loss (unweighted)");
        Assert.True(Math.Abs(result.Total.item<float>() - tensors["loss"].item<float>()) > 1e-3, "the weights should change the batch loss");
    }

    private static MultiResolutionLossOptions FixtureLoss(MlMdmFixture fixture) => new()
    {
        ModelPrediction = PredictionType.VPrediction,
        LossTarget = PredictionType.Epsilon,
        LossOnAllLevels = true,
        LevelWeights = MultiResolutionLossOptions.ParseLevelWeights(fixture.MultiResWeights!),
    };

    private static Tensor[] Outputs(MlMdmFixture fixture, Dictionary<string, Tensor> tensors) =>
        Enumerable.Range(0, fixture.LevelResolutions.Length).Select(l => tensors[$"model_out.{l}"]).ToArray();

    private static (MlMdmFixture, Dictionary<string, Tensor>, NoisedBatch) Replay(string name)
    {
        var fixture = MlMdmFixture.Open(name);
        var tensors = fixture.Load("loss.safetensors");
        var schedule = new MultiResolutionSchedule(NoiseSchedules.CosineCapped(fixture.TrainSteps), fixture.LevelResolutions, fixture.ShiftPower);
        var noise = Enumerable.Range(0, fixture.LevelResolutions.Length).Select(l => tensors[$"eps.{l}"]).ToArray();
        var batch = NoisedBatch.Create(tensors["images"], schedule, tensors["t"], noise);
        return (fixture, tensors, batch);
    }
}
