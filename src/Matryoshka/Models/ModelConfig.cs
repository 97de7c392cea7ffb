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

    /// <summary>
    /// Number of classes of a class-conditional model (ImageNet-style; ml-mdm <c>categorical_conditioning</c>), 0 for
    /// none. A class label becomes one learned token of width <see cref="TextEmbeddingDim"/> that takes the text path
    /// (cross-attention and the pooled <c>cond_emb</c>); label <c>ClassCount</c> is the learned "no class" token that
    /// classifier-free guidance trains and samples against.
    /// </summary>
    public int ClassCount { get; init; }

    /// <summary>Image channels in (3).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Prediction channels out (3).</summary>
    public int OutputChannels { get; init; } = 3;

    /// <summary>
    /// When not 0, every level's prediction is bounded to s·tanh(out/s) with s this value (ml-mdm
    /// <c>diffusion_config.model_output_scale</c>, which ml-mdm applies in its single-UNet pipeline's <c>Model.forward</c>),
    /// in training and in sampling, before guidance combines predictions. 0 leaves the output as the network computes it.
    /// </summary>
    public double OutputScale { get; init; }

    /// <summary>Validates the config and resolves every level (resolution, widths, which layers exist).</summary>
    /// <exception cref="ModelConfigurationException">A field is invalid; the message names it and its value.</exception>
    public ModelPlan Plan() => ModelPlan.Create(this);
}
