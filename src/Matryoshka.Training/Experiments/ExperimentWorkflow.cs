using Matryoshka.Evaluation;
using static TorchSharp.torch;

namespace Matryoshka.Training.Experiments;

/// <summary>
/// Experiments in one call each: <see cref="RunAsync"/> trains every arm of a spec (YAML; see
/// samples/configs/convergence/convergence.yaml) under every seed and evaluates them at the same steps into
/// results.csv, resumably; <see cref="WriteReport"/> turns results.csv into charts, a summary and sample grids.
/// Process-wide torch settings (thread count) are the application's to make.
/// </summary>
public static class ExperimentWorkflow
{
    /// <summary>Runs (or continues) an experiment on a thread of its own: TorchSharp's dispose scopes are per thread.</summary>
    /// <param name="specPath">The experiment spec.</param>
    /// <param name="outputFolder">Folder for results.csv and each arm's runs (resumed when it exists).</param>
    /// <param name="options">Seed, device, features (null: defaults).</param>
    /// <param name="log">Progress lines (training, evaluating, each row written), from the experiment's thread.</param>
    /// <param name="cancellationToken">Stops after the current training step with a checkpoint; the result then says it is not complete.</param>
    /// <exception cref="ExperimentSpecException">The spec is unreadable or a field is invalid (the message names it).</exception>
    /// <exception cref="Configuration.TrainingConfigException">An arm's training configuration is unreadable or invalid.</exception>
    /// <exception cref="ArgumentException"><see cref="ExperimentRunOptions.OnlySeed"/> is not one of the spec's seeds.</exception>
    public static Task<ExperimentRunResult> RunAsync(string specPath, string outputFolder, ExperimentRunOptions? options = null,
        IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        options ??= new ExperimentRunOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ProgressEvery);
        // Not started with the token: cancelling ends the training in progress with a checkpoint, which it must be allowed to write.
        return Task.Factory.StartNew(() => Run(specPath, outputFolder, options, log, cancellationToken), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static ExperimentRunResult Run(string specPath, string outputFolder, ExperimentRunOptions options, IProgress<string>? log,
        CancellationToken cancellationToken)
    {
        var plan = ExperimentPlan.Load(specPath);
        if (options.OnlySeed is { } only && !plan.Seeds.Contains(only))
            throw new ArgumentException($"--seed {only} is not one of the spec's seeds ({string.Join(", ", plan.Seeds)})");
        var owned = options.Features is null ? new ResNet18FeatureExtractor() : null;
        using (owned)
        {
            var runner = new ExperimentRunner(plan, outputFolder, options.Features ?? owned!, log)
            {
                OnlySeed = options.OnlySeed,
                Device = options.Device ?? CPU,
                ProgressEvery = options.ProgressEvery,
            };
            bool complete = runner.Run(cancellationToken);
            return new ExperimentRunResult(complete, runner.ResultsPath, ExperimentResults.Read(runner.ResultsPath));
        }
    }

    /// <summary>Writes the charts, summary.md and (from the run folders next to results.csv) the sample grids.</summary>
    /// <param name="resultsPath">An experiment's results.csv.</param>
    /// <param name="outputFolder">Folder for the charts, summary.md and sample grids.</param>
    /// <param name="baseline">The arm whose final FD-ResNet18 the others are timed to reach (null: the first arm in the file).</param>
    /// <param name="samples">Images per row of the sample grids (the first evaluation captions); 0: no grids.</param>
    /// <exception cref="ExperimentSpecException">results.csv is missing, has no rows or is not an experiment's results file.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseline"/> is not an arm of the file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is not 0 … 64.</exception>
    public static ExperimentReportResult WriteReport(string resultsPath, string outputFolder, string? baseline = null, int samples = 8)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resultsPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        if (samples is < 0 or > 64) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be 0 … 64.");
        var rows = ExperimentResults.Read(resultsPath);
        if (rows.Count == 0) throw new ExperimentSpecException(resultsPath, "has no rows yet.");
        baseline ??= rows[0].Arm;
        if (rows.All(r => r.Arm != baseline))
            throw new ArgumentException($"--baseline '{baseline}' is not an arm of {resultsPath} ({string.Join(", ", rows.Select(r => r.Arm).Distinct())})");
        var files = ExperimentReport.Write(rows, baseline, outputFolder);
        var experimentFolder = Path.GetDirectoryName(Path.GetFullPath(resultsPath))!;
        var grids = samples > 0 ? ExperimentSampleGrids.Write(rows, experimentFolder, outputFolder, samples, baseline) : Array.Empty<string>();
        return new ExperimentReportResult(files, grids, baseline, experimentFolder);
    }
}
