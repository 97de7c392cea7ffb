
namespace Matryoshka.Training.Checkpoints;

/// <summary>How <see cref="ModelGrowthFiles.Grow"/> reads the smaller model and the larger config.</summary>
public sealed record ModelGrowthFileOptions
{
    /// <summary>Text width for configs that leave it to run time (ml-mdm's <c>conditioning_feature_dim: -1</c>).</summary>
    public int? TextEmbeddingDim { get; init; }

    /// <summary>From a training checkpoint: which weights (the EMA by default).</summary>
    public CheckpointWeightsKind Weights { get; init; } = CheckpointWeightsKind.Ema;

    /// <summary>From a compact training checkpoint: the weights file its run started from, if not at the path its record names.</summary>
    public string? InitialWeights { get; init; }

    /// <summary>
    /// Most bytes the grown model's float32 weights may take; a larger config is refused with
    /// <see cref="Models.ModelMemoryException"/> before anything is read or allocated. Null: the machine's memory.
    /// </summary>
    public long? MemoryLimitBytes { get; init; }
}
