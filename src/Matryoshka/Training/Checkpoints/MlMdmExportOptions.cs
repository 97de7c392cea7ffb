using TorchSharp;

namespace Matryoshka.Training.Checkpoints;

/// <summary>How <see cref="MlMdmCheckpointExport.Export"/> writes an ml-mdm checkpoint; every field is optional.</summary>
public sealed record MlMdmExportOptions
{
    /// <summary>The defaults: the config beside the source, EMA weights, dtypes kept, nothing overwritten.</summary>
    public static MlMdmExportOptions Default { get; } = new();

    /// <summary>
    /// The model's ml-mdm config (<c>.yaml</c>/<c>.yml</c> as ml-mdm's own, or a <c>config.json</c> with the same
    /// fields): the architecture the weights are checked against, copied next to the checkpoint. Default:
    /// <c>model.yaml</c> in the source's folder (as in a model folder such as <c>models/emoji-64</c>).
    /// </summary>
    public string? ConfigPath { get; init; }

    /// <summary>From a training checkpoint: which weights (the EMA by default).</summary>
    public CheckpointWeightsKind Weights { get; init; } = CheckpointWeightsKind.Ema;

    /// <summary>From a compact training checkpoint: the weights file its run started from, when not at the path its record names.</summary>
    public string? InitialWeights { get; init; }

    /// <summary>Cast every floating-point tensor to one of <see cref="SafetensorsConversionOptions.CastTypes"/>; null keeps each tensor's dtype.</summary>
    public torch.ScalarType? DType { get; init; }

    /// <summary>The <c>batch_num</c> recorded (ml-mdm resumes counting from it); default: a training checkpoint's step, 0 for a weights file.</summary>
    public long? BatchNumber { get; init; }

    /// <summary>The text encoder's width, when the config leaves it to the text model (<c>conditioning_feature_dim: -1</c>); default: read from the weights.</summary>
    public int? TextEmbeddingDim { get; init; }

    /// <summary>Replace the checkpoint and config files if they exist.</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Most bytes the config's model may take in float32; a larger config is refused with
    /// <see cref="Models.ModelMemoryException"/> before its weights are cast or written. Null: the machine's memory.
    /// </summary>
    public long? MemoryLimitBytes { get; init; }

    internal void Validate()
    {
        if (DType is { } type && !SafetensorsConversionOptions.CastTypes.Values.Contains(type))
            throw new ArgumentOutOfRangeException(nameof(DType), type, $"Exports cast to {string.Join(", ", SafetensorsConversionOptions.CastTypes.Keys)} only.");
        if (BatchNumber is < 0) throw new ArgumentOutOfRangeException(nameof(BatchNumber), BatchNumber, "The batch number cannot be negative.");
        if (MemoryLimitBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(MemoryLimitBytes), MemoryLimitBytes, "The memory limit must be positive.");
        if (TextEmbeddingDim is < 1) throw new ArgumentOutOfRangeException(nameof(TextEmbeddingDim), TextEmbeddingDim, "The text width must be at least 1.");
    }
}
