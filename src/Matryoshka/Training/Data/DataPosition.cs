namespace Matryoshka.Training.Data;

/// <summary>
/// Where a run stands in its data stream: <paramref name="Offset"/> entries of epoch <paramref name="Epoch"/>'s
/// permutation have been consumed (loaded or skipped). Store it with a checkpoint and pass it back to
/// <see cref="TrainingBatches"/> to continue with exactly the batches an uninterrupted run would have produced.
/// </summary>
/// <param name="Epoch">Zero-based epoch number.</param>
/// <param name="Offset">How many indices of the epoch's permutation were consumed, 0 … dataset size.</param>
public readonly record struct DataPosition(long Epoch, long Offset)
{
    /// <inheritdoc />
    public override string ToString() => $"epoch {Epoch}, offset {Offset}";
}
