using Matryoshka.Training;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

public class LearningRateAndEmaWarmupTests
{
    [Theory]
    [InlineData(5, 0.5)]     // warm-up: 5/10 of the base rate
    [InlineData(10, 1.0)]    // end of warm-up
    [InlineData(60, 0.55)]   // half-way through the decay: 0.1 + 0.9·½(1 + cos(π/2))
    [InlineData(110, 0.1)]   // end of the decay
    [InlineData(500, 0.1)]   // stays at the minimum
    public void Cosine_decay_follows_half_a_cosine_after_the_warm_up(long update, double expected) =>
        Assert.Equal(expected, WarmupSchedule.WithCosineDecay(1.0, 10, 100, 0.1, update), 12);

    [Fact]
    public void Without_decay_steps_the_rate_stays_constant_after_warm_up() =>
        Assert.Equal(2.0, WarmupSchedule.WithCosineDecay(2.0, 10, 0, 0, 1000));

    [Fact]
    public void Ema_warm_up_copies_the_weights_first_then_follows_diffusers_decay_curve()
    {
        using var scope = NewDisposeScope();
        var images = TinyTraining.Images(2, 1);
        var text = TinyTraining.Text(2, 2);
        using var model = TinyTraining.Model();
        using var trainer = new Trainer(model, TinyTraining.Schedule(), new TrainerOptions { LearningRate = 1e-3, EmaDecay = 0.999, EmaWarmup = true, Seed = 3 });
        Assert.Equal(0.0, trainer.CurrentEmaDecay);
        trainer.Step(images, text);
        foreach (var (key, value) in model.state_dict()) Assert.True(value.Identical(trainer.Ema.Weights[key]), key);
        Assert.Equal(1 - Math.Pow(2, -2.0 / 3.0), trainer.CurrentEmaDecay, 12);
        for (int i = 0; i < 3; i++) trainer.Step(images, text);
        Assert.Equal(1 - Math.Pow(5, -2.0 / 3.0), trainer.CurrentEmaDecay, 12);
    }
}
