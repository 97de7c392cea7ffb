using Matryoshka.Training.Checkpoints;
using static TorchSharp.torch;

namespace Matryoshka.Training.Configuration;

/// <summary>How <see cref="TrainingWorkflow.RunAsync"/> runs a training configuration.</summary>
public sealed record TrainingWorkflowOptions
{
    /// <summary>Continue from the newest good checkpoint in the output folder (a fresh start if there is none).</summary>
    public bool Resume { get; init; }

    /// <summary>Stop with a checkpoint once the run's total step count reaches this (null: no limit).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Stop with a checkpoint after this much wall time in this call (null: no limit).</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>Where the model and batches live (null: the CPU).</summary>
    public Device? Device { get; init; }

    /// <summary>Replaces the configuration's seed (null: the configuration's own).</summary>
    public ulong? Seed { get; init; }

    /// <summary>Told of each checkpoint refused while resuming (older ones are tried next).</summary>
    public IProgress<TrainingCheckpointException>? RejectedCheckpoints { get; init; }

    /// <summary>Once every stage is done, write the final EMA weights to <c>ema.safetensors</c> in the output folder.</summary>
    public bool ExportEma { get; init; } = true;

    /// <summary>
    /// Most bytes a stage's estimated peak training memory may be: its training state (weights, gradients, AdamW
    /// moments, EMA; <see cref="Models.TrainingMemory.StateBytes"/>) plus an estimate of its activations at the
    /// configured batch size (<see cref="Models.TrainingMemory.ActivationBytes"/>); a larger run is refused before anything
    /// is allocated. Null: the machine's memory on the CPU, no limit on other devices (whose memory the process cannot
    /// see up front).
    /// </summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Told once, before training starts, of each stage's estimated peak memory (in stage order).</summary>
    public IProgress<IReadOnlyList<Models.TrainingMemoryEstimate>>? MemoryEstimates { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    internal void Validate()
    {
        if (MemoryLimitBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(MemoryLimitBytes), MemoryLimitBytes, "MemoryLimitBytes must be positive.");
        if (MaxSteps is < 0) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "MaxSteps must not be negative.");
        if (MaxTime is { } time && time <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxTime), MaxTime, "MaxTime must be positive.");
    }
}
