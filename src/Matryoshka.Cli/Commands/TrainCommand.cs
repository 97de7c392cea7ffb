using System.CommandLine;
using System.Globalization;
using Matryoshka.Cli.Training;
using Matryoshka.Models;
using Matryoshka.Training;
using Matryoshka.Training.Checkpoints;
using Matryoshka.Training.Configuration;
using Matryoshka.Training.Runs;
using Spectre.Console;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka train --config training.yaml --out DIR [--resume] [--max-steps N] [--max-time T]</c>: progressive
/// training with checkpoints in DIR/checkpoints, the loss per level per step in DIR/loss.csv and, once every stage is
/// done, the EMA weights in DIR/ema.safetensors. Ctrl+C stops after the current step with a checkpoint.
/// </summary>
internal static class TrainCommand
{
    internal const int Refused = 2;

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The training configuration (YAML).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for checkpoints, loss.csv and the final EMA weights.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest good checkpoint in --out (fresh start if there is none)." };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop with a checkpoint once the run's total step count reaches N." };
        var maxTime = new Option<string?>("--max-time") { Description = "Stop with a checkpoint after this wall time, e.g. 90s, 20m, 3h or 01:30:00." };
        var plain = new Option<bool>("--plain") { Description = "One text line per step instead of a progress bar." };
        var threads = ThreadsOption.Create();
        var command = new Command("train", "Train a Matryoshka model progressively (low resolution first, then grown), with resumable checkpoints.");
        var device = DeviceOption.Create();
        foreach (var option in new Option[] { config, output, resume, maxSteps, maxTime, plain, threads, device }) command.Options.Add(option);
        // The run gets its own thread so the action returns a running task at once: System.CommandLine installs its
        // SIGINT/SIGTERM handlers (which cancel the token and wait for the checkpoint) only after the action returns;
        // a synchronous action would leave the default handlers, which kill the process mid-run.
        command.SetAction((parse, cancellation) => SetThreads(parse.GetValue(threads), parse.InvocationConfiguration.Error) is { } refused
            ? Task.FromResult(refused)
            : Task.Factory.StartNew(() => Run(parse.GetValue(config)!, parse.GetValue(output)!, parse.GetValue(resume),
                parse.GetValue(maxSteps), parse.GetValue(maxTime), parse.GetValue(plain) || Console.IsOutputRedirected,
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation, parse.GetValue(device)),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return command;
    }

    private static int? SetThreads(int? threads, TextWriter stderr) => ThreadsOption.TryApply(threads, stderr) ? null : Refused;

    internal static int Run(string configPath, string outputFolder, bool resume, long? maxSteps, string? maxTime, bool plain,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation, string? device = null)
    {
        TimeSpan? timeLimit = null;
        if (maxTime is not null)
        {
            if (Durations.TryParse(maxTime) is not { } parsed) { stderr.WriteLine($"--max-time: cannot read '{maxTime}' (use e.g. 90s, 20m, 3h or 01:30:00)"); return Refused; }
            timeLimit = parsed;
        }
        if (maxSteps is < 0) { stderr.WriteLine($"--max-steps must not be negative; got {maxSteps}"); return Refused; }
        try
        {
            var options = new TrainingWorkflowOptions
            {
                Resume = resume,
                MaxSteps = maxSteps,
                MaxTime = timeLimit,
                Device = device is null ? null : Devices.Parse(device),
                RejectedCheckpoints = new CallbackProgress<TrainingCheckpointException>(e => stderr.WriteLine($"skipping a bad checkpoint: {e.Message}")),
                MemoryEstimates = new CallbackProgress<IReadOnlyList<TrainingMemoryEstimate>>(estimates => PrintMemory(estimates, stdout)),
            };
            TrainingWorkflowResult result;
            if (plain)
            {
                result = Train(configPath, outputFolder, options, p =>
                {
                    WarnSkipped(p, stderr);
                    stdout.WriteLine(Describe(p));
                }, cancellation);
            }
            else
            {
                result = default!;
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("training");
                        result = Train(configPath, outputFolder, options, p =>
                        {
                            WarnSkipped(p, stderr);
                            task.MaxValue = p.TotalSteps;
                            task.Value = p.Step;
                            task.Description = Markup.Escape(Describe(p));
                        }, cancellation);
                    });
            }
            var outcome = result.Outcome;
            stdout.WriteLine(outcome.Completed
                ? $"done: {outcome.Step} steps; checkpoint {outcome.LastCheckpoint}"
                : $"stopped at step {outcome.Step} of {result.TotalSteps} (stage {outcome.Stage}); resume with --resume. Checkpoint {outcome.LastCheckpoint}");
            if (result.EmaWeightsPath is { } ema) stdout.WriteLine($"EMA weights: {ema}");
            return 0;
        }
        // ArgumentException: a dataset or option refused a configured value (it names the value).
        catch (Exception e) when (e is MatryoshkaException or TrainerOptionsException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return Refused;
        }
    }

    private static TrainingWorkflowResult Train(string configPath, string outputFolder, TrainingWorkflowOptions options, Action<TrainingProgress> report,
        CancellationToken cancellation) =>
        TrainingWorkflow.RunAsync(configPath, outputFolder, options, new CallbackProgress<TrainingProgress>(report), cancellation).GetAwaiter().GetResult();

    private static void PrintMemory(IReadOnlyList<TrainingMemoryEstimate> estimates, TextWriter stdout)
    {
        static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
        for (int stage = 0; stage < estimates.Count; stage++)
        {
            var e = estimates[stage];
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory, stage {stage}: {e.Parameters:N0} parameters; estimated peak {MiB(e.PeakBytes)} at batch size {e.BatchSize} " +
                $"({MiB(e.StateBytes)} training state + about {MiB(e.ActivationBytes)} activations, an estimate)"));
        }
    }

    private static void WarnSkipped(TrainingProgress p, TextWriter stderr)
    {
        foreach (var skipped in p.NewlySkippedSamples) stderr.WriteLine($"warning: skipped unreadable sample {skipped}");
    }

    private static string Describe(TrainingProgress p)
    {
        var levels = string.Join(" ", p.Result.LevelLosses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)));
        return $"step {p.Step}/{p.TotalSteps} stage {p.Stage} ({p.StageStep}/{p.StageSteps}) loss {p.Result.Loss.ToString("F4", CultureInfo.InvariantCulture)} [{levels}] " +
            $"lr {p.Result.LearningRate.ToString("G3", CultureInfo.InvariantCulture)} {p.StepsPerSecond.ToString("F2", CultureInfo.InvariantCulture)} steps/s" +
            (p.SkippedSteps > 0 ? $" skipped {p.SkippedSteps}" : "") + (p.SkippedSamples > 0 ? $" bad samples {p.SkippedSamples}" : "") +
            (p.CheckpointPath is null ? "" : " [checkpoint]");
    }
}
