using Matryoshka.Models;
using Matryoshka.Training;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>A bfloat16 model trains: the float32 noising arithmetic does not leak float32 inputs into its layers.</summary>
public sealed class ReducedPrecisionTrainingTests
{
    [Fact]
    public void A_bfloat16_model_takes_a_training_step_and_stays_bfloat16()
    {
        using var scope = NewDisposeScope();
        using var model = new NestedUNet(TinyTraining.Config(), CPU, ScalarType.BFloat16);
        using var trainer = new Trainer(model, TinyTraining.Schedule(), new TrainerOptions { LearningRate = 1e-3, MaxGradientNorm = 1, Seed = 4 });
        var before = TinyTraining.Snapshot(model);
        var result = trainer.Step(TinyTraining.Images(2, 1), TinyTraining.Text(2, 2));
        Assert.True(double.IsFinite(result.Loss) && result.Loss > 0, $"loss {result.Loss}");
        Assert.True(result.OptimizerStepped);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.Contains(model.state_dict(), p => !p.Value.Identical(before[p.Key]));
    }
}
