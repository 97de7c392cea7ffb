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
}
