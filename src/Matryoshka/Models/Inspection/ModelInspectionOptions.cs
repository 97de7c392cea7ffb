using Matryoshka.Conditioning.T5;

namespace Matryoshka.Models.Inspection;

/// <summary>What <see cref="ModelInspector"/> assumes about a model config beyond the file (safetensors files ignore it).</summary>
public sealed record ModelInspectionOptions
{
    /// <summary>Text width for a config that leaves it to run time (ml-mdm's <c>conditioning_feature_dim: -1</c>);
    /// null: the config's own, or <see cref="TextEncoder"/>'s width.</summary>
    public int? TextEmbeddingDim { get; init; }

    /// <summary>Text tokens the FLOP counts assume for cross-attention and the text projections.</summary>
    public int TextLength { get; init; } = ModelFlops.DefaultTextLength;

    /// <summary>The model's T5 text encoder, if it has one: its width becomes the text width, and the report adds its size.</summary>
    public T5EncoderConfig? TextEncoder { get; init; }

    /// <summary>How the report names <see cref="TextEncoder"/> (e.g. <c>flan-t5-xl</c> or its config file).</summary>
    public string? TextEncoderName { get; init; }

    /// <summary>Checks the values that do not depend on the file.</summary>
    /// <exception cref="ArgumentException">A width or length is not positive, or <see cref="TextEmbeddingDim"/> contradicts the encoder's width.</exception>
    public void Validate()
    {
        if (TextEmbeddingDim is <= 0) throw new ArgumentOutOfRangeException(nameof(TextEmbeddingDim), TextEmbeddingDim, "must be positive");
        if (TextLength <= 0) throw new ArgumentOutOfRangeException(nameof(TextLength), TextLength, "must be positive");
        if (TextEncoder is { } encoder && TextEmbeddingDim is { } width && width != encoder.ModelDim)
            throw new ArgumentException($"text width {width} contradicts the T5 encoder's width {encoder.ModelDim}", nameof(TextEmbeddingDim));
    }
}
