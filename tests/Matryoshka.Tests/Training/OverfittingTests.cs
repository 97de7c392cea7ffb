using System.Diagnostics;
using Matryoshka.Diffusion;
using Matryoshka.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>The trainer can memorise a handful of images: every level's loss falls at least tenfold.</summary>
public class OverfittingTests(ITestOutputHelper output)
{
    private const int Images = 16;
    private const int Steps = 300;

    // Measured on 2 CPU cores: 103 ms/step, but 185 of 300 steps were skipped for NaN gradients (the model's
    // intermittent CPU backward defect), and the levels fell only 4.4× and 3.7×. Re-enable once that is fixed.
    [Theory]
    [InlineData(1e-3)]
    [InlineData(3e-3)]
    public void Scan(double lr)
    {
        using var scope = NewDisposeScope();
        var images = TinyTraining.Images(Images, 11);
        var text = TinyTraining.Text(Images, 12);
        var schedule = TinyTraining.Schedule();
        using var model = TinyTraining.Model();
        using var trainer = new Trainer(model, schedule, new TrainerOptions { LearningRate = lr, Seed = 13, WarmupSteps = 20 });
        var evaluation = Enumerable.Range(0, 4).Select(i =>
        {
            using var g = new Generator(100 + (ulong)i);
            var t = NoisedBatch.SampleTimesteps(Images, schedule.TrainSteps, CPU, g);
            var noise = ForwardProcess.SampleNoise(schedule.Resolutions.Select(r => empty(Images, 3, r, r)).ToArray(), g);
            return NoisedBatch.Create(images, schedule, t, noise);
        }).ToArray();
        var before = Evaluate(model, trainer.Options.Loss, evaluation, text);
        for (int i = 1; i <= 800; i++) { trainer.Step(images, text); if (i % 100 == 0) { var a = Evaluate(model, trainer.Options.Loss, evaluation, text); output.WriteLine($"lr {lr} step {i}: {before[0]/a[0]:F1}x {before[1]/a[1]:F1}x"); } }
    }

    [Fact]
    public void Every_level_loss_falls_tenfold_on_sixteen_fixed_images()
    {
        using var scope = NewDisposeScope();
        var images = TinyTraining.Images(Images, 11);
        var text = TinyTraining.Text(Images, 12);
        var schedule = TinyTraining.Schedule();
        using var model = TinyTraining.Model();
        using var trainer = new Trainer(model, schedule, new TrainerOptions { LearningRate = 1e-3, Seed = 13 });

        // Fixed (t, noise) draws, so the measurement does not move with the random training draws.
        var evaluation = Enumerable.Range(0, 4).Select(i =>
        {
            using var g = new Generator(100 + (ulong)i);
            var t = NoisedBatch.SampleTimesteps(Images, schedule.TrainSteps, CPU, g);
            var noise = ForwardProcess.SampleNoise(schedule.Resolutions.Select(r => empty(Images, 3, r, r)).ToArray(), g);
            return NoisedBatch.Create(images, schedule, t, noise);
        }).ToArray();

        var before = Evaluate(model, trainer.Options.Loss, evaluation, text);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Steps; i++) trainer.Step(images, text);
        clock.Stop();
        var after = Evaluate(model, trainer.Options.Loss, evaluation, text);

        output.WriteLine($"{Steps} steps of batch {Images}: {clock.Elapsed.TotalMilliseconds / Steps:F1} ms/step, skipped {trainer.SkippedSteps}");
        for (int l = 0; l < before.Length; l++)
            output.WriteLine($"level {l}: {before[l]:G4} → {after[l]:G4} ({before[l] / after[l]:F1}×)");
        for (int l = 0; l < before.Length; l++)
            Assert.True(after[l] * 10 <= before[l], $"level {l}: {before[l]} → {after[l]}");
    }

    private static double[] Evaluate(Matryoshka.Models.NestedUNet model, MultiResolutionLossOptions options, NoisedBatch[] batches, Matryoshka.Guidance.TextConditioning text)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sums = new double[batches[0].Noisy.Count];
        foreach (var batch in batches)
        {
            var outputs = model.Forward(batch.Noisy, batch.Timesteps, text.Embeddings, text.Mask);
            var loss = MultiResolutionLoss.Compute(options, batch, outputs);
            for (int l = 0; l < sums.Length; l++) sums[l] += loss.LevelMse[l].mean().item<float>() / batches.Length;
        }
        return sums;
    }
}
