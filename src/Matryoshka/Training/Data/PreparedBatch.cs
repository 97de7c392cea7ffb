namespace Matryoshka.Training.Data;

/// <summary>
/// A batch together with the samples skipped while assembling it, so skip counts are published when the batch is
/// handed out, not when a prefetcher happened to read ahead.
/// </summary>
/// <param name="Batch">The batch.</param>
/// <param name="SkippedCount">How many samples were skipped while assembling it.</param>
/// <param name="SkippedDescriptions">The first of them (at most <see cref="MaxDescriptions"/>), described.</param>
/// <param name="SkippedByCategory">All of them, counted by <see cref="InvalidTrainingSampleException.Category"/>.</param>
internal sealed record PreparedBatch(TrainingBatch Batch, long SkippedCount, IReadOnlyList<string> SkippedDescriptions,
    IReadOnlyDictionary<string, long> SkippedByCategory)
{
    /// <summary>Most skipped samples described, per batch and per <see cref="TrainingBatches"/> instance.</summary>
    public const int MaxDescriptions = 100;
}
