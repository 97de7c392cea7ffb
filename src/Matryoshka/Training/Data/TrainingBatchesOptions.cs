namespace Matryoshka.Training.Data;

/// <summary>How <see cref="TrainingBatches"/> shuffles, batches and prefetches a dataset.</summary>
public sealed record TrainingBatchesOptions
{
    /// <summary>Samples per batch (the last batch of an epoch may be smaller when <see cref="DropLast"/> is false).</summary>
    public required int BatchSize { get; init; }

    /// <summary>
    /// The seed of the data stream: epoch e's permutation and every caption choice are pure functions of
    /// (Seed, e, position), stable across .NET versions and machines.
    /// </summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// How many finished batches a background task may prepare ahead of <see cref="TrainingBatches.Next"/>;
    /// 0 loads every batch synchronously inside <see cref="TrainingBatches.Next"/>. Default 2. Batches are the same
    /// either way.
    /// </summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>
    /// When true (default) an epoch's final incomplete batch is dropped and the next batch starts the next epoch;
    /// when false it is returned with fewer samples. Either way a batch never holds samples of two epochs.
    /// </summary>
    public bool DropLast { get; init; } = true;

    /// <summary>Most values one batch may hold; a bound against absurd sample sizes. Default 2³¹ − 1 (one array).</summary>
    internal const long MaxBatchValues = int.MaxValue;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        if (PrefetchBatches < 0)
            throw new ArgumentOutOfRangeException(nameof(PrefetchBatches), PrefetchBatches,
                "PrefetchBatches must be 0 (synchronous loading) or a positive number of batches.");
    }
}
