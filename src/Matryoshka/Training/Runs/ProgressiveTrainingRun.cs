using System.Diagnostics;
using System.Globalization;
using Matryoshka.IO;
using Matryoshka.Models;
using Matryoshka.Schedules;
using Matryoshka.Training.Checkpoints;
using Matryoshka.Training.Data;
using static TorchSharp.torch;

namespace Matryoshka.Training.Runs;

/// <summary>
/// Progressive MDM training (paper §3.3, ml-mdm's stage-wise recipe): trains the first stage's model, then grows it
/// into the next stage's (its weights become <c>inner_unet.*</c>, the EMA and optionally the optimizer moments are
/// carried over) and trains that, and so on. Checkpoints every K steps, at the end, at a step/time limit and on
/// cancellation; a resumed run continues bit-exactly where the checkpoint left off. Runs synchronously on the calling
/// thread, each step inside its own dispose scope.
/// </summary>
public sealed class ProgressiveTrainingRun
{
    private readonly TrainingRunOptions _options;
    private string? _initialWeightsSha256;
    private InitialWeightsFit _initialWeightsFit;

    /// <summary>Validates the options.</summary>
    /// <exception cref="TrainerOptionsException">The options are invalid.</exception>
    public ProgressiveTrainingRun(TrainingRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Total steps over all stages.</summary>
    public long TotalSteps => _options.Stages.Sum(s => s.Steps);

    /// <summary>Runs (or, with <paramref name="resume"/>, continues from the newest good checkpoint) until every stage is done or a limit is hit.</summary>
    /// <param name="resume">Continue from the newest checkpoint that verifies (older ones are tried if the newest is bad); start fresh if there is none.</param>
    /// <param name="maxSteps">Stop (with a checkpoint) once the run's total step count reaches this.</param>
    /// <param name="maxTime">Stop (with a checkpoint) after this much wall time in this call.</param>
    /// <param name="progress">Called after every step, on this thread.</param>
    /// <param name="rejectedCheckpoint">Called for each checkpoint refused while resuming.</param>
    /// <param name="cancellationToken">Stops the run after the current step, with a checkpoint.</param>
    public TrainingRunOutcome Run(bool resume = false, long? maxSteps = null, TimeSpan? maxTime = null,
        Action<TrainingProgress>? progress = null, Action<TrainingCheckpointException>? rejectedCheckpoint = null,
        CancellationToken cancellationToken = default)
    {
        var store = new TrainingCheckpointStore(_options.CheckpointDirectory, _options.KeepCheckpoints);
        using var runLog = _options.RunLogPath is null ? null : new TrainingRunLog(_options.RunLogPath);
        Action<TrainingCheckpointException>? rejected = runLog is null ? rejectedCheckpoint : e =>
        {
            runLog.Write($"skipped a bad checkpoint: {e.Message}");
            rejectedCheckpoint?.Invoke(e);
        };
        // A compact checkpoint's frozen weights come back from the configured file, which must be the one it names.
        using var checkpoint = resume ? store.LoadNewest(fallBack: true, rejected, _options.InitialWeights) : null;
        _initialWeightsSha256 = _options.InitialWeights is null ? null : InitialWeights.Sha256(_options.InitialWeights);
        int stage = checkpoint?.Info.Stage ?? 0;
        if (stage >= _options.Stages.Count)
            throw new TrainingCheckpointException(checkpoint!.Path, $"is at stage {stage}, but the configuration has only {_options.Stages.Count} stages.");
        long stageStep = checkpoint?.Info.StageStep ?? 0;
        long step = checkpoint?.Info.Step ?? 0;
        var position = checkpoint is null ? default : new DataPosition(checkpoint.Info.DataEpoch, checkpoint.Info.DataOffset);
        var trainedBefore = checkpoint is null ? TimeSpan.Zero : TrainingTimeOf(checkpoint.Info);
        var skippedSamples = new SkippedSampleTally(checkpoint?.Info.SkippedSamplesByCategory);
        runLog?.Write(checkpoint is null
            ? $"training started: {TotalSteps} steps in {_options.Stages.Count} stages"
            : $"training resumed at step {step} of {TotalSteps} (stage {stage}) from {checkpoint.Path}");

        var model = CreateModel(stage);
        var trainer = CreateTrainer(model, stage);
        TrainingBatches? batches = null;
        int describedSkips = 0;
        var warnedSkips = new HashSet<string>(StringComparer.Ordinal);
        using var log = _options.LossLogPath is null ? null : new TrainingLossLog(_options.LossLogPath, _options.Stages[^1].Model.Plan().Levels.Count, resumeAfterStep: checkpoint is null ? null : step);
        try
        {
            if (checkpoint is not null) trainer.RestoreState(checkpoint.Tensors, checkpoint.Counters);
            var clock = Stopwatch.StartNew();
            long stepsThisCall = 0;
            string? lastCheckpoint = null;
            long lastSavedStep = checkpoint is null ? -1 : step;
            bool completed = false;

            while (true)
            {
                var current = _options.Stages[stage];
                if (stageStep >= current.Steps)
                {
                    if (stage == _options.Stages.Count - 1) { completed = true; break; }
                    skippedSamples.Close(batches);
                    batches?.Dispose();
                    batches = null;
                    describedSkips = 0;
                    (model, trainer) = Grow(model, trainer, stage + 1);
                    stage++;
                    stageStep = 0;
                    position = default;
                    runLog?.Write($"grew into stage {stage} at step {step}");
                    continue;
                }
                if (cancellationToken.IsCancellationRequested || (maxSteps is { } limit && step >= limit) || (maxTime is { } time && clock.Elapsed >= time)) break;

                batches ??= new TrainingBatches(_options.Dataset(current.Model.Plan().Resolutions[0]),
                    _options.Batches with { Seed = _options.Batches.Seed + (ulong)stage }, position);
                var batch = batches.Next(cancellationToken);
                TrainingStepResult result;
                using (NoGarbageCollectionRegion.Enter())
                using (NewDisposeScope())
                {
                    var images = tensor(batch.Pixels, new long[] { batch.BatchSize, batch.Channels, batch.Height, batch.Width }, dtype: ScalarType.Float32, device: CPU);
                    bool classes = current.Model.ClassCount > 0;
                    var text = classes ? null : _options.Conditioner?.Invoke(batch, _options.Device);
                    var labels = classes ? Labels(batch) : null;
                    result = trainer.Step(images, text, labels);
                }
                position = batch.After;
                step++;
                stageStep++;
                stepsThisCall++;
                log?.Append(step, stage, stageStep, result);

                string? saved = null;
                if (step % _options.CheckpointEvery == 0)
                {
                    saved = lastCheckpoint = Save(store, trainer, step, stage, stageStep, position, skippedSamples.With(batches), clock.Elapsed, trainedBefore);
                    lastSavedStep = step;
                }
                // Each unreadable sample is named once, the first time it is skipped (later epochs skip it again).
                var newlySkipped = batches.SkippedDescriptions.Skip(describedSkips).Where(warnedSkips.Add).ToArray();
                describedSkips = batches.SkippedDescriptions.Count;
                foreach (var sample in newlySkipped) runLog?.Write($"step {step} (stage {stage}): skipped unreadable sample {sample}");
                progress?.Invoke(new TrainingProgress(step, TotalSteps, stage, stageStep, current.Steps, result,
                    stepsThisCall / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), trainer.SkippedSteps, batches.SkippedSamples, saved)
                {
                    NewlySkippedSamples = newlySkipped,
                });
            }

            if (lastSavedStep != step || lastCheckpoint is null)
                lastCheckpoint = Save(store, trainer, step, stage, stageStep, position, skippedSamples.With(batches), clock.Elapsed, trainedBefore);
            runLog?.Write($"training {(completed ? "completed" : "stopped")} at step {step} of {TotalSteps}; checkpoint {lastCheckpoint}");
            return new TrainingRunOutcome(completed, step, stage, lastCheckpoint, checkpoint?.Path, trainedBefore + clock.Elapsed);
        }
        catch (Exception e)
        {
            runLog?.Write($"training failed: {e.GetType().Name}: {e.Message}");
            throw;
        }
        finally
        {
            batches?.Dispose();
            trainer.Dispose();
            model.Dispose();
        }
    }

    private static Tensor Labels(TrainingBatch batch) =>
        batch.Labels is { } labels
            ? tensor(labels.Select(l => (long)l).ToArray(), dtype: ScalarType.Int64)
            : throw new TrainingDataException("The model is class-conditional but the dataset gives no labels.");

    /// <summary>The schedule a stage trains with: the base schedule shifted per level of the stage's model, or its levels' signal rescaled.</summary>
    public MultiResolutionSchedule ScheduleOf(int stage)
    {
        var settings = _options.Stages[stage];
        var resolutions = settings.Model.Plan().Resolutions;
        return settings.RescaleSignal
            ? MultiResolutionSchedule.WithRescaledSignal(_options.Schedule, resolutions)
            : new(_options.Schedule, resolutions, settings.ShiftPower);
    }

    /// <summary>Checkpoint extra key: wall seconds of training along the path to this checkpoint, over every resumed call.</summary>
    public const string TrainingSecondsKey = "wall_seconds_total";

    /// <summary>
    /// The wall time a checkpoint's run had spent training to reach it, summed over the calls it was resumed through
    /// (steps redone after an interruption count once); zero for checkpoints written before this was recorded.
    /// </summary>
    public static TimeSpan TrainingTimeOf(TrainingCheckpointInfo info) =>
        info.Extra is { } extra && extra.TryGetValue(TrainingSecondsKey, out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;

    private string Save(TrainingCheckpointStore store, Trainer trainer, long step, int stage, long stageStep, DataPosition position,
        IReadOnlyDictionary<string, long> skippedSamples, TimeSpan elapsed, TimeSpan trainedBefore)
    {
        // Frozen weights equal the initial weights only in the first stage; later stages froze trained ones.
        bool omit = _options.OmitFrozenFromCheckpoints && stage == 0;
        var state = trainer.CaptureState(omitFrozen: omit);
        var extra = new Dictionary<string, string>
        {
            ["wall_seconds_this_process"] = elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            [TrainingSecondsKey] = (trainedBefore + elapsed).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
        };
        if (omit) foreach (var (key, value) in OmittedFrozenWeights.Describe(_options.InitialWeights!, _initialWeightsSha256!, _initialWeightsFit)) extra[key] = value;
        using (state.Tensors[TrainerState.GeneratorKey])
        {
            return store.Save(state, new TrainingCheckpointInfo
            {
                Step = step,
                Stage = stage,
                StageStep = stageStep,
                DataEpoch = position.Epoch,
                DataOffset = position.Offset,
                SkippedSamplesByCategory = skippedSamples,
                Configuration = _options.Configuration,
                Extra = extra,
            });
        }
    }

    private (NestedUNet, Trainer) Grow(NestedUNet smaller, Trainer smallerTrainer, int stage)
    {
        var larger = CreateModel(stage);
        try
        {
            ModelGrowth.LoadInner(larger, smaller); // CreateModel already froze the inner level if the stage asks for it
            var trainer = CreateTrainer(larger, stage);
            trainer.Ema.CarryFrom(smallerTrainer.Ema);
            if (_options.Stages[stage].CarryOptimizerState) trainer.CarryOptimizerStateFrom(smallerTrainer);
            smallerTrainer.Dispose();
            smaller.Dispose();
            return (larger, trainer);
        }
        catch
        {
            larger.Dispose();
            throw;
        }
    }

    // The first stage's model starts from the initial weights, if any (whose inner level is then trained already).
    private NestedUNet CreateModel(int stage)
    {
        var config = _options.Stages[stage].Model;
        var model = _options.CreateModel?.Invoke(config, stage) ?? new NestedUNet(config, _options.Device, _options.DType);
        try
        {
            bool initial = stage == 0 && _options.InitialWeights is not null;
            if (initial)
            {
                using var scope = NewDisposeScope();
                _initialWeightsFit = InitialWeights.Load(model, SafetensorsReader.Load(_options.InitialWeights!, CPU));
            }
            if (stage > 0 || initial) ModelGrowth.FreezeInnermost(model, _options.Stages[stage].FrozenLevels(model.Plan.Levels.Count));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // Per-level loss weights are given for the final model (high → low); a stage uses those of its innermost levels.
    private Trainer CreateTrainer(NestedUNet model, int stage)
    {
        var loss = _options.Trainer.Loss;
        int levels = model.Plan.Levels.Count;
        if (loss.LevelWeights is { } weights && weights.Count > levels) loss = loss with { LevelWeights = weights.Skip(weights.Count - levels).ToArray() };
        var options = _options.Trainer with { Seed = _options.Trainer.Seed + (ulong)stage, Loss = loss, InnerLearningRateScale = _options.Stages[stage].InnerLearningRateScale };
        if (_options.CosineDecayPerStage)
            options = options with { DecaySteps = Math.Max(1, _options.Stages[stage].Steps / options.GradientAccumulationSteps - options.WarmupSteps) };
        return new(model, ScheduleOf(stage), options);
    }
}
