namespace Matryoshka.Models;

/// <summary>
/// A whole Matryoshka model: the outermost level's <see cref="UNetConfig"/> (with its nested levels), the image
/// and text widths and the output resolution. <see cref="Plan"/> validates it and resolves every derived value.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The outermost level (level 0, the output resolution) and, through <see cref="UNetConfig.Inner"/>, the others.</summary>
    public required UNetConfig UNet { get; init; }

    /// <summary>Side of the output image, i.e. of level 0's input (e.g. 256).</summary>
    public required int Resolution { get; init; }

    /// <summary>Width of the text embeddings the model is conditioned on (2048 for flan-t5-xl); 0 or less for an unconditional model.</summary>
    public int TextEmbeddingDim { get; init; } = -1;

    /// <summary>Image channels in (3).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Prediction channels out (3).</summary>
    public int OutputChannels { get; init; } = 3;

    /// <summary>Validates the config and resolves every level (resolution, widths, which layers exist).</summary>
    /// <exception cref="ModelConfigurationException">A field is invalid; the message names it and its value.</exception>
    public ModelPlan Plan() => ModelPlan.Create(this);
}
