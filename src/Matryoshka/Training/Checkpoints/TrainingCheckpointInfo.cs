namespace Matryoshka.Training.Checkpoints;

/// <summary>Where a training run stood when a checkpoint was written (besides the trainer's own state).</summary>
public sealed record TrainingCheckpointInfo
{
    /// <summary>Training steps (micro-batches) done in the whole run, over all stages.</summary>
    public required long Step { get; init; }

    /// <summary>Index of the progressive-training stage the run is in.</summary>
    public int Stage { get; init; }

    /// <summary>Steps done within <see cref="Stage"/>.</summary>
    public long StageStep { get; init; }

    /// <summary>The data loader's epoch.</summary>
    public long DataEpoch { get; init; }

    /// <summary>Samples of the epoch's order already consumed.</summary>
    public long DataOffset { get; init; }

    /// <summary>
    /// Data samples the run skipped up to this checkpoint because they could not be read, by kind of problem
    /// (<see cref="Data.InvalidTrainingSampleException.Category"/>), over every stage and resumed call; empty for a run
    /// that skipped none and for checkpoints written before this was recorded.
    /// </summary>
    public IReadOnlyDictionary<string, long> SkippedSamplesByCategory { get; init; } = new Dictionary<string, long>();

    /// <summary>The full training configuration the run was started with (its text), so a checkpoint explains itself.</summary>
    public string? Configuration { get; init; }

    /// <summary>Free-form extra values (e.g. wall time so far).</summary>
    public IReadOnlyDictionary<string, string>? Extra { get; init; }
}
