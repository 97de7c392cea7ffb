using static TorchSharp.torch;

namespace Matryoshka.Training.Checkpoints;

/// <summary>How <see cref="SafetensorsConversion.Convert"/> converts.</summary>
public sealed record SafetensorsConversionOptions
{
    /// <summary>The floating-point types <see cref="DType"/> may name.</summary>
    public static IReadOnlyDictionary<string, ScalarType> CastTypes { get; } = new Dictionary<string, ScalarType>(StringComparer.OrdinalIgnoreCase)
    {
        ["float32"] = ScalarType.Float32,
        ["float16"] = ScalarType.Float16,
        ["bfloat16"] = ScalarType.BFloat16,
    };

    /// <summary>Cast every floating-point tensor to this type (one of <see cref="CastTypes"/>); null keeps the types.</summary>
    public ScalarType? DType { get; init; }

    /// <summary>From a training checkpoint: which weights (the EMA by default).</summary>
    public CheckpointWeightsKind Weights { get; init; } = CheckpointWeightsKind.Ema;

    /// <summary>From a compact training checkpoint: the weights file its run started from, if not at the path its record names.</summary>
    public string? InitialWeights { get; init; }

    /// <summary>Checks <see cref="DType"/>.</summary>
    /// <exception cref="ArgumentException">The type is not one of <see cref="CastTypes"/>.</exception>
    public void Validate()
    {
        if (DType is { } type && !CastTypes.Values.Contains(type))
            throw new ArgumentException($"{type} is not one of {string.Join(", ", CastTypes.Keys)}", nameof(DType));
    }
}
