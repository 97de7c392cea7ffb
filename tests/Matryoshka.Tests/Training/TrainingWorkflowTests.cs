using Matryoshka.IO;
using Matryoshka.Training.Configuration;
using Matryoshka.Training.Runs;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>A YAML training run from C# in one call (<see cref="TrainingWorkflow"/>), without the CLI.</summary>
public class TrainingWorkflowTests
{
    [Fact]
    public async Task One_call_trains_every_stage_reports_each_step_and_exports_the_ema()
    {
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path, stageSteps: 2, checkpointEvery: 10);
        var progress = new ListProgress<TrainingProgress>();
        using var before = get_rng_state();

        var result = await TrainingWorkflow.RunAsync(config, temp.File("run"), progress: progress);
        var steps = progress.Items;

        Assert.True(result.Completed);
        Assert.Equal((4L, 4L, 1), (result.Outcome.Step, result.TotalSteps, result.Outcome.Stage));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, steps.Select(p => p.Step));
        Assert.Equal(new[] { 0, 0, 1, 1 }, steps.Select(p => p.Stage));
        Assert.All(steps, p => Assert.True(double.IsFinite(p.Result.Loss) && p.Result.Loss > 0, $"step {p.Step}: loss {p.Result.Loss}"));
        Assert.Equal(temp.File("run/ema.safetensors"), result.EmaWeightsPath);
        using (var scope = NewDisposeScope())
        {
            var ema = SafetensorsReader.Load(result.EmaWeightsPath!);
            Assert.Contains(ema.Keys, key => key.StartsWith("inner_unet.", StringComparison.Ordinal)); // the grown two-level model
            Assert.All(ema.Values, t => Assert.False(t.isnan().any().item<bool>()));
        }
        Assert.Equal(5, File.ReadAllLines(result.LossLogPath).Length); // header and four steps
        // The stages' seeded initialisation leaves torch's global generator as it found it.
        using var after = get_rng_state();
        Assert.True(before.Identical(after));
    }

    [Fact]
    public async Task A_step_limit_stops_with_a_checkpoint_and_resume_finishes_without_export_on_request()
    {
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path, stageSteps: 2, checkpointEvery: 10);

        var stopped = await TrainingWorkflow.RunAsync(config, temp.File("run"), new TrainingWorkflowOptions { MaxSteps = 3 });
        var finished = await TrainingWorkflow.RunAsync(config, temp.File("run"), new TrainingWorkflowOptions { Resume = true, ExportEma = false });

        Assert.False(stopped.Completed);
        Assert.Equal((3L, (string?)null), (stopped.Outcome.Step, stopped.EmaWeightsPath));
        Assert.True(File.Exists(stopped.Outcome.LastCheckpoint));
        Assert.True(finished.Completed);
        Assert.Equal((4L, stopped.Outcome.LastCheckpoint), (finished.Outcome.Step, finished.Outcome.ResumedFrom));
        Assert.Null(finished.EmaWeightsPath);
        Assert.False(File.Exists(temp.File("run/ema.safetensors")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TrainingWorkflow.RunAsync(config, temp.File("x"), new TrainingWorkflowOptions { MaxSteps = -1 }));
    }

    [Fact]
    public async Task A_bad_field_is_a_typed_error_naming_the_file_and_the_field()
    {
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path);
        File.WriteAllText(config, File.ReadAllText(config).Replace("decay: 0.9", "decay: 0.9, warmup_inner: false", StringComparison.Ordinal));
        File.AppendAllText(temp.File("typo.yaml"), File.ReadAllText(config).Replace("seed: 3", "sead: 3", StringComparison.Ordinal));

        var invalid = await Assert.ThrowsAsync<TrainingConfigException>(() => TrainingWorkflow.RunAsync(config, temp.File("run")));
        var typo = Assert.Throws<TrainingConfigException>(() => TrainingConfiguration.Load(temp.File("typo.yaml")));

        Assert.Equal(config, invalid.FilePath);
        Assert.Contains("ema.warmup_inner", invalid.Message);
        Assert.Equal(temp.File("typo.yaml"), typo.FilePath);
        Assert.Contains("sead", typo.Message);
        Assert.Equal(24, TrainingConfiguration.Load(config).TotalSteps);
    }
}
