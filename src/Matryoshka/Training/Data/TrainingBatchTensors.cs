using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Training.Data;

/// <summary>Turns a <see cref="TrainingBatch"/> into tensors on the training thread, with explicit device and dtype.</summary>
public static class TrainingBatchTensors
{
    /// <summary>
    /// A new [B, C, H, W] tensor of <paramref name="batch"/>'s pixels on <paramref name="device"/> with element type
    /// <paramref name="dtype"/>. It owns its memory (later changes to the batch's array do not reach it); the caller
    /// disposes it (or lets the current dispose scope do so).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not a floating-point type.</exception>
    public static Tensor ToPixelTensor(this TrainingBatch batch, Device device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(device);
        if (dtype is not (ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"Pixel tensors need a floating-point dtype; got {dtype}.", nameof(dtype));
        CheckLength(batch);
        using var scope = NewDisposeScope();
        var cpu = torch.tensor(batch.Pixels, new long[] { batch.BatchSize, batch.Channels, batch.Height, batch.Width },
            ScalarType.Float32, CPU);
        // copy: true guarantees fresh storage even when no conversion is needed.
        return cpu.to(dtype, device, copy: true).MoveToOuterDisposeScope();
    }

    /// <summary>A new int64 [B] tensor of <paramref name="batch"/>'s class labels on <paramref name="device"/>.</summary>
    /// <exception cref="InvalidOperationException">The batch carries no labels.</exception>
    public static Tensor ToLabelTensor(this TrainingBatch batch, Device device)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(device);
        if (batch.Labels is null)
            throw new InvalidOperationException("The batch carries no labels (the dataset is not class-conditional).");
        if (batch.Labels.Length != batch.BatchSize)
            throw new ArgumentException($"The batch holds {batch.Labels.Length} labels for {batch.BatchSize} samples.", nameof(batch));
        var labels = Array.ConvertAll(batch.Labels, l => (long)l);
        using var scope = NewDisposeScope();
        return torch.tensor(labels, new long[] { batch.BatchSize }, ScalarType.Int64, CPU).to(device, copy: true).MoveToOuterDisposeScope();
    }

    private static void CheckLength(TrainingBatch batch)
    {
        if (batch.BatchSize < 1 || batch.Channels < 1 || batch.Height < 1 || batch.Width < 1)
            throw new ArgumentException(
                $"The batch declares the empty shape [{batch.BatchSize}, {batch.Channels}, {batch.Height}, {batch.Width}].", nameof(batch));
        long expected = (long)batch.BatchSize * batch.Channels * batch.Height * batch.Width;
        if (batch.Pixels is null || batch.Pixels.LongLength != expected)
            throw new ArgumentException(
                $"The batch holds {batch.Pixels?.LongLength ?? 0} values but its shape [{batch.BatchSize}, {batch.Channels}, " +
                $"{batch.Height}, {batch.Width}] needs {expected}.", nameof(batch));
    }
}
