using System.CommandLine;
using Matryoshka.Cli.Commands;
using Matryoshka.Evaluation;
using Matryoshka.Training;
using Matryoshka.Training.Experiments;

namespace Matryoshka.Cli.Experiments;

/// <summary>
/// <c>matryoshka experiment SPEC.yaml --out DIR</c>: trains every arm of the spec under every seed and evaluates them
/// at the same steps, writing DIR/results.csv; run it again (or with the same arguments after an interruption) to
/// continue where it stopped; with <c>--seed S</c> only that seed's rows (run one process per seed to use more cores).
/// Ctrl+C or SIGTERM stops after the current training step with a checkpoint.
/// Exit codes: 0 complete, 1 stopped before the end, 2 bad input.
/// </summary>
internal static class ExperimentCommand
{
    internal const int Stopped = 1;
    internal const int Refused = 2;

    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "The experiment spec (YAML): arms (training configurations), seeds, evaluation steps and settings." };
        var output = new Option<string>("--out") { Description = "Folder for results.csv and each arm's runs (resumed when it exists).", Required = true };
        var threads = ThreadsOption.Create();
        var seed = new Option<ulong?>("--seed") { Description = "Run only this seed of the spec; processes with different seeds can share one --out (e.g. one per core)." };
        var command = new Command("experiment", "Train several models on the same data and budget accounting, evaluating each at the same steps (resumable).");
        command.Arguments.Add(spec);
        command.Options.Add(output);
        command.Options.Add(threads);
        command.Options.Add(seed);
        var device = DeviceOption.Create();
        command.Options.Add(device);
        // Its own thread, as in train: System.CommandLine installs its SIGINT/SIGTERM handlers only after the action returns.
        command.SetAction((parse, cancellation) => Task.Factory.StartNew(
            () => Run(parse.GetValue(spec)!, parse.GetValue(output)!, parse.GetValue(threads), parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error, cancellation, onlySeed: parse.GetValue(seed), device: parse.GetValue(device)),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return command;
    }

    internal static int Run(string specPath, string outputFolder, int? threads, TextWriter stdout, TextWriter stderr, CancellationToken cancellation,
        IImageFeatureExtractor? features = null, ulong? onlySeed = null, string? device = null)
    {
        if (!ThreadsOption.TryApply(threads, stderr)) return Refused;
        try
        {
            var options = new ExperimentRunOptions { OnlySeed = onlySeed, Device = device is null ? null : Devices.Parse(device), Features = features };
            var result = ExperimentWorkflow.RunAsync(specPath, outputFolder, options, new CallbackProgress<string>(stdout.WriteLine), cancellation)
                .GetAwaiter().GetResult();
            string what = onlySeed is { } done ? $"seed {done} complete" : "complete";
            stdout.WriteLine(result.Complete ? $"{what}: {result.ResultsPath}" : $"stopped; run the same command again to continue ({result.ResultsPath})");
            return result.Complete ? 0 : Stopped;
        }
        catch (Exception e) when (e is MatryoshkaException or TrainerOptionsException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return Refused;
        }
    }
}
