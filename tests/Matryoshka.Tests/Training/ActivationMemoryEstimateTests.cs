using System.Diagnostics;
using Matryoshka.Cli.Commands;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Training.Configuration;
using Matryoshka.Training.Runs;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>
/// Each stage's peak training memory is estimated from the model plan and the batch size before anything is
/// allocated; a batch that cannot fit is refused, and <c>train</c> prints the estimate when it starts.
/// </summary>
public class ActivationMemoryEstimateTests
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "tiny-two-level.model.yaml");

    [Fact]
    public void The_activation_estimate_grows_linearly_with_the_batch_and_the_model()
    {
        var final = ModelConfigFiles.Load(TinyModel);
        var inner = ModelStages.Innermost(final, 1).Plan();
        var both = final.Plan();
        long one = TrainingMemory.ActivationBytes(both, 1, ScalarType.Float32);
        Assert.True(one > 0);
        foreach (int batch in new[] { 2, 8, 64, 1000 })
            Assert.Equal(batch * one, TrainingMemory.ActivationBytes(both, batch, ScalarType.Float32));
        Assert.Equal(one / 2, TrainingMemory.ActivationBytes(both, 1, ScalarType.BFloat16));
        // The 32² level around it adds activations at four times the pixels.
        Assert.True(TrainingMemory.ActivationBytes(inner, 8, ScalarType.Float32) < TrainingMemory.ActivationBytes(both, 8, ScalarType.Float32) / 2);

        var estimate = TrainingMemory.Estimate(ModelSummary.Of(final), 8, ScalarType.Float32);
        Assert.Equal(estimate.StateBytes + 8 * one, estimate.PeakBytes);
        Assert.Equal(8, estimate.BatchSize);
    }

    [Fact]
    public void An_absurd_batch_is_refused_before_anything_is_allocated_saying_it_is_an_estimate()
    {
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path);
        File.WriteAllText(config, File.ReadAllText(config).Replace("batch_size: 4", "batch_size: 100000000"));
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<TrainingConfigException>(() => TrainingConfiguration.Load(config).CreateRun(temp.File("out")));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(config, error.FilePath);
        Assert.Contains("stages[0]: training it at batch size 100000000 needs an estimated ", error.Message);
        Assert.Contains("The activations are an estimate", error.Message);
        Assert.Contains("lower data.batch_size", error.Message);
        Assert.False(Directory.Exists(temp.File("out/checkpoints")));
    }

    [Fact]
    public void Train_prints_each_stage_estimate_before_the_first_step()
    {
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(TrainCommand.Run(config, temp.File("out"), false, 0, null, true, stdout, stderr, CancellationToken.None) == 0, stderr.ToString());
        var lines = stdout.ToString().Split('\n');
        Assert.StartsWith("memory, stage 0: ", lines[0]);
        Assert.StartsWith("memory, stage 1: ", lines[1]);
        Assert.Contains("at batch size 4 (", lines[1]);
        Assert.Contains("activations, an estimate)", lines[1]);
    }
}
