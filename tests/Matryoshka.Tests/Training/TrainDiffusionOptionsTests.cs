using Matryoshka.Cli.Commands;
using Matryoshka.Training.Configuration;
using Matryoshka.Training.Runs;
using Xunit;

namespace Matryoshka.Tests.Training;

/// <summary>
/// <c>matryoshka train</c> with ml-mdm's training options: <c>loss.vdm_weights</c> (use_vdm_loss_weights) and a stage's
/// <c>rescale_signal</c> (a nested model's schedule_shifted: false) take effect; a model config whose diffusion_config
/// sets training-only options trains.
/// </summary>
public class TrainDiffusionOptionsTests
{
    private static string Write(TempFolder folder, string name, string lossExtra, string stageExtra)
    {
        string samples = Path.Combine(AppContext.BaseDirectory, "samples");
        // The model config's diffusion_config with options ml-mdm reads only in training, or never: train does not refuse it.
        var model = File.ReadAllText(Path.Combine(samples, "configs", "tiny-two-level.model.yaml")) +
                    "  use_vdm_loss_weights: true\n  use_random_interp: true\n  random_downsample: true\n  average_downsample: true\n  mid_downsample: true\n";
        File.WriteAllText(folder.File("model.yaml"), model);
        string yaml = $$"""
            model: model.yaml
            seed: 3
            data: { kind: image-folder, path: {{Path.Combine(samples, "emoji-mini")}}, pixels: standard, batch_size: 4, prefetch: 1 }
            optimizer: { learning_rate: 0.002, warmup_steps: 1 }
            ema: { decay: 0.9 }
            loss: { level_weights: "1:1"{{lossExtra}} }
            checkpoint: { every: 10, keep: 1 }
            stages:
              - { levels: 1, steps: 2 }
              - { levels: 2, steps: 2{{stageExtra}} }
            """;
        File.WriteAllText(folder.File(name), yaml);
        return folder.File(name);
    }

    [Fact]
    public void Vdm_weights_and_signal_rescaling_reach_the_trainer()
    {
        using var folder = new TempFolder();
        using var setup = TrainingConfiguration.Load(Write(folder, "train.yaml", ", vdm_weights: true", ", rescale_signal: true")).CreateRun(folder.File("out"));

        Assert.True(setup.Options.Trainer.Loss.VdmWeights);
        var run = new ProgressiveTrainingRun(setup.Options);
        Assert.Equal(new[] { 1.0 }, run.ScheduleOf(0).SignalScales);
        Assert.Equal(new[] { 2.0, 1.0 }, run.ScheduleOf(1).SignalScales);
        Assert.Equal(0, run.ScheduleOf(1).ShiftPower);
    }

    [Fact]
    public void Training_with_the_options_runs_and_changes_the_loss()
    {
        using var folder = new TempFolder();
        string Loss(string config, string output)
        {
            var stderr = new StringWriter();
            int code = TrainCommand.Run(config, folder.File(output), false, null, null, true, new StringWriter(), stderr, CancellationToken.None);
            Assert.True(code == 0, stderr.ToString());
            return File.ReadAllText(Path.Combine(folder.File(output), "loss.csv"));
        }

        var plain = Loss(Write(folder, "plain.yaml", "", ""), "plain");
        var options = Loss(Write(folder, "options.yaml", ", vdm_weights: true", ", rescale_signal: true"), "options");

        Assert.Equal(5, options.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);   // header + 4 steps
        Assert.NotEqual(plain, options);
    }
}
