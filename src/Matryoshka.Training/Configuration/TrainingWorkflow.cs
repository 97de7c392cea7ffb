using Matryoshka.IO;
using Matryoshka.Training.Checkpoints;
using Matryoshka.Training.Runs;

namespace Matryoshka.Training.Configuration;

/// <summary>
/// Runs a training configuration file in one call: reads and checks it, trains every stage progressively with
/// checkpoints in <c>OUT/checkpoints</c> and the loss per level per step in <c>OUT/loss.csv</c>, and once every stage
/// is done writes the EMA weights to <c>OUT/ema.safetensors</c>. Process-wide torch settings (thread count) are the
/// application's to make.
/// </summary>
public static class TrainingWorkflow
{
    /// <summary>Trains (or continues training) on a thread of its own: TorchSharp's dispose scopes are per thread.</summary>
    /// <param name="configPath">The training configuration (YAML).</param>
    /// <param name="outputFolder">Folder for checkpoints, loss.csv and the final EMA weights (created if missing).</param>
    /// <param name="options">Resume, limits, device, seed (null: defaults).</param>
    /// <param name="progress">Told after every step, from the training thread.</param>
    /// <param name="cancellationToken">Stops the run after the current step with a checkpoint; the result then says it did not complete.</param>
    /// <returns>How the run ended and where its files are.</returns>
    /// <exception cref="TrainingConfigException">The configuration is unreadable or a field is invalid (the message names the file and field).</exception>
    /// <exception cref="TrainerOptionsException">The options built from it are inconsistent.</exception>
    /// <exception cref="MatryoshkaException">Data, weights or checkpoints cannot be read (a subclass names the file).</exception>
    public static Task<TrainingWorkflowResult> RunAsync(string configPath, string outputFolder, TrainingWorkflowOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        options ??= new TrainingWorkflowOptions();
        options.Validate();
        // Not started with the token: cancelling ends the run with a checkpoint, which it must be allowed to write.
        return Task.Factory.StartNew(() => Run(configPath, outputFolder, options, progress, cancellationToken), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static TrainingWorkflowResult Run(string configPath, string outputFolder, TrainingWorkflowOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var configuration = TrainingConfiguration.Load(configPath);
        Directory.CreateDirectory(outputFolder);
        using var setup = configuration.CreateRun(outputFolder, options.Device, options.Seed, options.MemoryLimitBytes);
        options.MemoryEstimates?.Report(setup.MemoryEstimates);
        var run = new ProgressiveTrainingRun(setup.Options);
        var outcome = run.Run(options.Resume, options.MaxSteps, options.MaxTime,
            progress is null ? null : progress.Report, options.RejectedCheckpoints is null ? null : options.RejectedCheckpoints.Report, cancellationToken);
        string? ema = null;
        if (outcome.Completed && options.ExportEma)
        {
            ema = Path.Combine(outputFolder, "ema.safetensors");
            using var checkpoint = TrainingCheckpointStore.Load(outcome.LastCheckpoint);
            SafetensorsWriter.Save(ema, checkpoint.EmaWeights());
        }
        return new TrainingWorkflowResult(outcome, run.TotalSteps, ema, setup.Options.LossLogPath!);
    }
}
