using Matryoshka.Runtime;
using Matryoshka.Conditioning;
using Matryoshka.Models;
using Matryoshka.Schedules;
using Matryoshka.Training.Data;
using static TorchSharp.torch;

namespace Matryoshka.Training.Runs;

/// <summary>Everything a <see cref="ProgressiveTrainingRun"/> needs. Validated when the run is created.</summary>
public sealed record TrainingRunOptions
{
    /// <summary>The stages, innermost model first; each stage's model wraps the previous one's.</summary>
    public required IReadOnlyList<TrainingStage> Stages { get; init; }

    /// <summary>The base noise schedule (per-level shifting follows each stage's <see cref="TrainingStage.ShiftPower"/>).</summary>
    public required NoiseSchedule Schedule { get; init; }

    /// <summary>Optimizer, EMA, loss and dropout settings; stage s uses seed <c>Seed + s</c>.</summary>
    public required TrainerOptions Trainer { get; init; }

    /// <summary>Creates the dataset at a resolution (each stage trains at its model's output resolution).</summary>
    public required Func<int, ITrainingDataset> Dataset { get; init; }

    /// <summary>Batching and shuffling; stage s uses seed <c>Seed + s</c>.</summary>
    public required TrainingBatchesOptions Batches { get; init; }

    /// <summary>Turns a batch's captions or labels into the model's conditioning; null for unconditional models.</summary>
    public Func<TrainingBatch, Device, TextConditioning?>? Conditioner { get; init; }

    /// <summary>
    /// Creates a stage's model (given its config and stage index) with freshly initialised weights. The default is
    /// <c>new NestedUNet(config, Device, DType)</c>; applications that want reproducible initialisation seed torch's
    /// generator here (the library never touches process-wide torch state itself).
    /// </summary>
    public Func<ModelConfig, int, NestedUNet>? CreateModel { get; init; }

    /// <summary>
    /// Cosine learning-rate decay in every stage: each stage (which restarts its warm-up, as ml-mdm's stage-wise runs
    /// do) decays over its updates after the warm-up to <see cref="TrainerOptions.MinLearningRate"/>.
    /// </summary>
    public bool CosineDecayPerStage { get; init; }

    /// <summary>
    /// A weights file (.safetensors) the first stage's model starts from instead of its initialisation: the whole
    /// model's weights, or its inner level's, which then grows exactly as between stages (<see cref="InitialWeights"/>'s
    /// fit rules). The EMA starts from them too. Checkpoints record the file's SHA-256.
    /// </summary>
    public string? InitialWeights { get; init; }

    /// <summary>
    /// Compact checkpoints: in the first stage, the frozen inner weights and their averages (equal to
    /// <see cref="InitialWeights"/> throughout) are left out and restored from that file on resume, which must be the
    /// same file (its SHA-256 is checked). Needs <see cref="InitialWeights"/> and a first stage that freezes inner levels.
    /// </summary>
    public bool OmitFrozenFromCheckpoints { get; init; }

    /// <summary>Where checkpoints go.</summary>
    public required string CheckpointDirectory { get; init; }

    /// <summary>A checkpoint every this many steps (and always at the end, at a limit and on cancellation).</summary>
    public long CheckpointEvery { get; init; } = 500;

    /// <summary>How many checkpoints to keep.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>A CSV of loss per level per step (appended; cut back to the checkpoint on resume); null for none.</summary>
    public string? LossLogPath { get; init; }

    /// <summary>
    /// A text log of the run's events, one line each with its UTC time (start, every skipped sample with its file and
    /// reason, end); appended across resumed calls. Null for none.
    /// </summary>
    public string? RunLogPath { get; init; }

    /// <summary>The configuration text stored in every checkpoint.</summary>
    public string? Configuration { get; init; }

    /// <summary>Runs bfloat16 on a CPU where it is slow (<see cref="BFloat16Support"/>) instead of refusing.</summary>
    public bool AllowSlowBFloat16 { get; init; }

    /// <summary>Device of the model and data.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>Parameter dtype (float32 or bfloat16).</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    /// <summary>Checks the values.</summary>
    /// <exception cref="TrainerOptionsException">A value is invalid.</exception>
    public void Validate()
    {
        if (Stages is null || Stages.Count == 0) throw new TrainerOptionsException("At least one training stage is required.");
        for (int s = 0; s < Stages.Count; s++)
        {
            if (Stages[s].Steps < 1) throw new TrainerOptionsException($"Stage {s} must have at least one step; got {Stages[s].Steps}.");
            if (!double.IsFinite(Stages[s].ShiftPower) || Stages[s].ShiftPower <= 0) throw new TrainerOptionsException($"Stage {s}: shift power must be positive; got {Stages[s].ShiftPower}.");
            if (Stages[s].InnerLearningRateScale is not (>= 0 and <= 1))
                throw new TrainerOptionsException($"Stage {s}: InnerLearningRateScale must be in [0, 1]; got {Stages[s].InnerLearningRateScale}.");
            int levels = Stages[s].Model.Plan().Levels.Count;
            if (Stages[s].FreezeLevels < 0 || Stages[s].FreezeLevels > levels - 1 || (Stages[s].FreezeInner && Stages[s].FreezeLevels is not 0 && Stages[s].FreezeLevels != levels - 1))
                throw new TrainerOptionsException($"Stage {s}: FreezeLevels must be between 0 and its {levels - 1} inner levels (and agree with FreezeInner); got {Stages[s].FreezeLevels}.");
            if (Stages[s].FrozenLevels(levels) == levels - 1 && levels > 1 && Stages[s].InnerLearningRateScale != 1)
                throw new TrainerOptionsException($"Stage {s} freezes every inner level; InnerLearningRateScale has nothing to scale.");
            try { Stages[s].Model.Plan().EnsureRunnable(); }
            catch (ModelConfigurationException e) { throw new TrainerOptionsException($"Stage {s}'s model cannot run: {e.Message}"); }
            if (s > 0 && Stages[s].Model.Plan().Levels.Count != Stages[s - 1].Model.Plan().Levels.Count + 1)
                throw new TrainerOptionsException($"Stage {s}'s model must have exactly one level more than stage {s - 1}'s.");
        }
        if (InitialWeights is not null)
        {
            if (!File.Exists(InitialWeights)) throw new TrainerOptionsException($"InitialWeights: {InitialWeights} does not exist.");
            try { Training.InitialWeights.Check(InitialWeights, Stages[0].Model); }
            catch (MatryoshkaException e) { throw new TrainerOptionsException($"InitialWeights {InitialWeights}: {e.Message}"); }
        }
        if (OmitFrozenFromCheckpoints && (InitialWeights is null || Stages[0].FrozenLevels(Stages[0].Model.Plan().Levels.Count) == 0))
            throw new TrainerOptionsException("OmitFrozenFromCheckpoints needs InitialWeights and a first stage that freezes inner levels (the omitted weights are rebuilt from that file).");
        if (CheckpointEvery < 1) throw new TrainerOptionsException($"CheckpointEvery must be at least 1; got {CheckpointEvery}.");
        if (KeepCheckpoints < 1) throw new TrainerOptionsException($"KeepCheckpoints must be at least 1; got {KeepCheckpoints}.");
        if (string.IsNullOrWhiteSpace(CheckpointDirectory)) throw new TrainerOptionsException("A checkpoint directory is required.");
        if (DType is not (ScalarType.Float32 or ScalarType.BFloat16)) throw new TrainerOptionsException($"Training runs in float32 or bfloat16; got {DType}.");
        try { BFloat16Support.EnsureFastOrAllowed(Device, DType, AllowSlowBFloat16, "set AllowSlowBFloat16 (train: allow_slow_bfloat16: true)"); }
        catch (MatryoshkaException e) { throw new TrainerOptionsException(e.Message); }
        Trainer.Validate();
        try { Batches.Validate(); }
        catch (ArgumentException e) { throw new TrainerOptionsException($"Batches: {e.Message}"); }
    }
}
