using System.Globalization;
using Matryoshka.Conditioning;
using Matryoshka.Evaluation;
using Matryoshka.IO;
using Matryoshka.Pipelines;
using Matryoshka.Sampling;
using Matryoshka.Training.Checkpoints;
using Matryoshka.Training.Configuration;
using Matryoshka.Training.Runs;

namespace Matryoshka.Training.Experiments;

/// <summary>
/// Runs an <see cref="ExperimentPlan"/>: step by step of <see cref="ExperimentPlan.AtSteps"/>, every arm under every
/// seed is trained (resuming its own run folder) to that step, its EMA weights are exported and evaluated, and one row
/// goes to results.csv. Going round the arms at each step keeps them level, so an interrupted experiment has
/// comparable results so far. Rows already in results.csv are not redone; training resumes bit-exactly.
/// </summary>
/// <param name="plan">What to run.</param>
/// <param name="outputFolder">results.csv and one folder per arm and seed (checkpoints, loss.csv, exported EMA weights, samples).</param>
/// <param name="features">The evaluation's image features (ResNet18 in the CLI).</param>
/// <param name="log">Progress lines, reported from the calling thread.</param>
internal sealed class ExperimentRunner(ExperimentPlan plan, string outputFolder, IImageFeatureExtractor features, IProgress<string>? log)
{
    private readonly Dictionary<int, (EvaluationSet Set, GenerationEvaluation Evaluation)> _evaluations = new();
    private (MatryoshkaPipeline Pipeline, ITextEncoder Encoder)? _current;

    /// <summary>Where the arms train and sample.</summary>
    public required TorchSharp.torch.Device Device { get; init; }

    /// <summary>
    /// Only this seed's rows (null: every seed of the plan). Processes running different seeds on the same output
    /// folder share results.csv safely, so a machine with idle cores can run the seeds side by side.
    /// </summary>
    public ulong? OnlySeed { get; init; }

    /// <summary>Training steps between progress lines.</summary>
    public int ProgressEvery { get; init; } = 100;

    /// <summary>The results file.</summary>
    public string ResultsPath => Path.Combine(outputFolder, "results.csv");

    /// <summary>Runs until every row exists or <paramref name="cancellation"/> fires (then the training in progress stops with a checkpoint).</summary>
    /// <returns>True when the experiment is complete.</returns>
    public bool Run(CancellationToken cancellation)
    {
        Directory.CreateDirectory(outputFolder);
        var results = ExperimentResults.Open(ResultsPath);
        foreach (var step in plan.AtSteps)
            foreach (var arm in plan.Arms)
                foreach (var seed in plan.Seeds.Where(s => OnlySeed is null || s == OnlySeed))
                {
                    if (results.Has(arm.Name, seed, step)) continue;
                    if (cancellation.IsCancellationRequested || RunOne(arm, seed, step, cancellation) is not { } row) return false;
                    results.Append(row);
                    log?.Report(Describe(row));
                }
        return true;
    }

    /// <summary>The folder of one arm's run under one seed.</summary>
    public string RunFolder(string arm, ulong seed) => RunFolder(outputFolder, arm, seed);

    /// <summary>The folder of one arm's run under one seed, in an experiment's output folder.</summary>
    internal static string RunFolder(string experimentFolder, string arm, ulong seed) =>
        Path.Combine(experimentFolder, "runs", string.Create(CultureInfo.InvariantCulture, $"{arm}-seed{seed}"));

    /// <summary>Where a run's evaluation at <paramref name="step"/> put its generated images.</summary>
    internal static string SamplesFolder(string runFolder, long step) =>
        Path.Combine(runFolder, string.Create(CultureInfo.InvariantCulture, $"samples-{step:D9}"));

    private ExperimentResult? RunOne(ExperimentPlan.Arm arm, ulong seed, long step, CancellationToken cancellation)
    {
        var folder = RunFolder(arm.Name, seed);
        Directory.CreateDirectory(folder);
        using var setup = TrainingConfiguration.Load(arm.TrainingPath).CreateRun(folder, Device, seed);
        var options = setup.Options;
        log?.Report(string.Create(CultureInfo.InvariantCulture, $"{arm.Name} seed {seed}: training to step {step}"));
        var outcome = new ProgressiveTrainingRun(options).Run(resume: true, maxSteps: step,
            progress: p =>
            {
                if (p.Step % ProgressEvery == 0)
                    log?.Report(string.Create(CultureInfo.InvariantCulture, $"  {arm.Name} seed {seed} step {p.Step} stage {p.Stage} loss {p.Result.Loss:F4} {p.StepsPerSecond:F2} steps/s"));
            },
            rejectedCheckpoint: e => log?.Report($"  skipping a bad checkpoint: {e.Message}"),
            cancellationToken: cancellation);
        if (outcome.Step != step) return null; // cancelled, with a checkpoint to resume from

        var budget = new TrainingBudget(options);
        int stage = budget.StageAt(step);
        var model = options.Stages[stage].Model;
        int resolution = model.Plan().Resolutions[0];
        int finalResolution = options.Stages[^1].Model.Plan().Resolutions[0];
        var row = new ExperimentResult(arm.Name, seed, step, stage, resolution, budget.ImagesSeen(step), budget.Flops(step),
            outcome.TrainingTime.TotalSeconds, null, null, null, null, null, null, null, null);
        if (resolution != finalResolution) return row; // a progressive run's low-resolution stage: nothing to compare at the final resolution
        // Only the last stage produces the final resolution, so the run has not grown past this stage's model.

        var weights = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"ema-{step:D9}.safetensors"));
        using (var checkpoint = TrainingCheckpointStore.Load(outcome.LastCheckpoint))
            SafetensorsWriter.Save(weights, checkpoint.EmaWeights());
        var encoder = setup.TextEncoder ?? throw new ExperimentSpecException(arm.TrainingPath, "has no text encoder to evaluate with.");
        using var pipeline = MatryoshkaPipeline.CreateBuilder()
            .WithModel(model, weights)
            .WithSchedule(options.Schedule, options.Stages[stage].ShiftPower)
            .WithPrediction(options.Trainer.Loss.ModelPrediction)
            .WithSampler(Samplers.FromName(plan.Evaluation.Sampler))
            .OnDevice(Device)
            .Build();
        var (set, evaluation) = EvaluationFor(resolution);
        _current = (pipeline, encoder);
        try
        {
            log?.Report(string.Create(CultureInfo.InvariantCulture, $"{arm.Name} seed {seed}: evaluating step {step}"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var samples = Directory.CreateDirectory(SamplesFolder(folder, step)).FullName;
            var report = evaluation.Run(set, plan.Evaluation, progress: null, samples);
            return row with
            {
                FinalLevelLoss = FinalLevelLoss(Path.Combine(folder, "loss.csv"), step, plan.LossWindow),
                Top1 = report.Top1, Top5 = report.Top5, PixelTop1 = report.PixelTop1, PixelTop5 = report.PixelTop5,
                FdResNet18 = report.FdGenerated, FdRealSameSize = report.FdRealSameSize, EvalSeconds = clock.Elapsed.TotalSeconds,
            };
        }
        finally
        {
            _current = null;
        }
    }

    private (EvaluationSet, GenerationEvaluation) EvaluationFor(int resolution)
    {
        if (_evaluations.TryGetValue(resolution, out var known)) return known;
        var set = EvaluationSet.Load(plan.DataFolder, resolution);
        plan.Evaluation.Validate(set.Images.Count);
        var evaluation = GenerationEvaluation.ForPipeline(() => _current ?? throw new InvalidOperationException("no model is being evaluated"),
            plan.Evaluation, features);
        return _evaluations[resolution] = (set, evaluation);
    }

    /// <summary>The mean final-level (level 0) loss over the last <paramref name="window"/> logged steps up to <paramref name="step"/>; null if none.</summary>
    internal static double? FinalLevelLoss(string lossCsv, long step, int window)
    {
        if (!File.Exists(lossCsv)) return null;
        var losses = new Dictionary<long, double>(); // a step logged twice (redone after an interruption): the later row counts
        foreach (var line in File.ReadLines(lossCsv).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 5 || !long.TryParse(f[0], CultureInfo.InvariantCulture, out long s) || s > step || s <= step - window) continue;
            if (double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double loss) && f[^1] == "0") losses[s] = loss;
        }
        return losses.Count == 0 ? null : losses.Values.Average();
    }

    internal static string Describe(ExperimentResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Arm} seed {r.Seed} step {r.Step} ({r.Resolution}²): {r.TrainFlops / 1e12:F1} TFLOP, {r.TrainSeconds / 60:F1} min training") +
        (r.FdResNet18 is { } fd
            ? string.Create(CultureInfo.InvariantCulture, $"; FD-ResNet18 {fd:F1} (floor {r.FdRealSameSize:F1}), top-1/top-5 {r.Top1:P1}/{r.Top5:P1}, pixels {r.PixelTop1:P1}/{r.PixelTop5:P1}, 64-level loss {r.FinalLevelLoss:F4}")
            : "; not at the final resolution yet");
}
