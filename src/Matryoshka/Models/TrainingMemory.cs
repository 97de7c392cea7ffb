using static TorchSharp.torch;

namespace Matryoshka.Models;

/// <summary>
/// Memory a model needs before any of it is allocated, from its <see cref="ModelSummary"/> (built on the meta device),
/// so a model too large for the machine is refused up front rather than by the allocator hours into a run.
/// </summary>
public static class TrainingMemory
{
    /// <summary>Memory this process may use: the machine's physical memory, or the container's limit when lower.</summary>
    public static long MachineBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// The lower bound of training memory: weights and gradients in <paramref name="dtype"/>, AdamW's two moments and
    /// the float32 EMA copy. Activations come on top and grow with the batch, so a run needs more than this.
    /// </summary>
    /// <exception cref="OverflowException">The size does not fit in 64 bits.</exception>
    public static long StateBytes(ModelSummary summary, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return checked(3 * summary.WeightBytes(dtype) + 2 * summary.WeightBytes(ScalarType.Float32));
    }

    /// <summary>
    /// Values kept for the backward pass per value a layer (convolution, linear, attention) outputs: the
    /// normalisations, activations, sums and skip concatenations between the layers keep tensors of the same sizes.
    /// Calibrated against the growth of peak RSS with the batch in CPU training runs: 4.7 for the tiny sample model,
    /// 3.4 for emoji-64 (docs/training.md, "Memory"); 5 errs on the side of refusing.
    /// </summary>
    public const double ActivationFactor = 5;

    /// <summary>
    /// An estimate of the activation memory of one training step of <paramref name="plan"/>'s model at
    /// <paramref name="batchSize"/>: the values every layer of every level outputs (from the model plan, nothing is
    /// built), times <see cref="ActivationFactor"/>, times the batch, in <paramref name="dtype"/>. Linear in the batch.
    /// </summary>
    /// <param name="plan">The stage's model.</param>
    /// <param name="batchSize">Samples per micro-batch.</param>
    /// <param name="dtype">The training dtype.</param>
    /// <param name="textTokens">Caption tokens per sample (0 for unconditioned models).</param>
    /// <exception cref="OverflowException">The size does not fit in 64 bits.</exception>
    public static long ActivationBytes(ModelPlan plan, int batchSize, ScalarType dtype, int textTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(textTokens);
        long values = 0;
        foreach (var level in plan.Levels) values = checked(values + FlopCounter.OutputValues(plan, level, textTokens));
        double bytes = ActivationFactor * values * batchSize * IO.Weights.WeightSizes.BytesPerElement(dtype);
        return bytes < long.MaxValue ? (long)Math.Ceiling(bytes) : throw new OverflowException($"{bytes:G3} bytes of activations do not fit in 64 bits.");
    }

    /// <summary>The training state of <paramref name="summary"/>'s model and its activations at <paramref name="batchSize"/>.</summary>
    /// <exception cref="OverflowException">A size does not fit in 64 bits.</exception>
    public static TrainingMemoryEstimate Estimate(ModelSummary summary, int batchSize, ScalarType dtype, int textTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new TrainingMemoryEstimate(summary.TotalParameters, batchSize, StateBytes(summary, dtype),
            ActivationBytes(summary.Plan, batchSize, dtype, textTokens));
    }
}
