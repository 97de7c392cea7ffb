using Matryoshka.Conditioning;
using Matryoshka.Sampling;

namespace Matryoshka.Pipelines.Generation;

/// <summary>
/// Everything a <see cref="GenerationJob"/> needs. Settings left null come from the model: a model folder's manifest,
/// or for an ml-mdm model its diffusion_config and ml-mdm's demo defaults (DDIM, 50 steps, guidance 7.5).
/// </summary>
public sealed record GenerationJobOptions
{
    /// <summary>The model.</summary>
    public required GenerationModel Model { get; init; }

    /// <summary>What to draw.</summary>
    public required GenerationInput Input { get; init; }

    /// <summary>
    /// Prompts for an ml-mdm model: creates the text encoder the model was trained with (e.g. T5 through ml-mdm's
    /// tokenizer for Apple's models). It is called once and disposed after encoding, before the model loads, so that
    /// both never hold memory at once. Model folders bring their own encoder.
    /// </summary>
    public Func<ITextEncoder>? PromptEncoder { get; init; }

    /// <summary>
    /// Settings published for the model (e.g. <see cref="Interop.MlMdm.Presets.MlMdmPresets.WebDemo"/> for Apple's released
    /// models): its sampler, steps, guidance, thresholding and seed apply where this record leaves them null.
    /// </summary>
    public SamplingPreset? Preset { get; init; }

    /// <summary>The sampler's name (one of <see cref="Samplers.Names"/>).</summary>
    public string? Sampler { get; init; }

    /// <summary>DDIM η, for a sampler named here or an ml-mdm model's default DDIM.</summary>
    public double Eta { get; init; }

    /// <summary>Sampling steps.</summary>
    public int? Steps { get; init; }

    /// <summary>Classifier-free guidance scale, 1 = off.</summary>
    public double? Guidance { get; init; }

    /// <summary>Noise seed; null: a random one (the result tells it).</summary>
    public ulong? Seed { get; init; }

    /// <summary>Images to draw; null: one per prompt, label or conditioning row.</summary>
    public int? BatchSize { get; init; }

    /// <summary>x₀ thresholding.</summary>
    public Thresholding? Thresholding { get; init; }

    /// <summary>How the model's outputs become pixels.</summary>
    public PixelConvention? Pixels { get; init; }

    /// <summary>Where to compute: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string? Device { get; init; }

    /// <summary>
    /// Most bytes the model's weights may take (they are built in float32 on the CPU first); a larger model is refused
    /// by <see cref="GenerationJob.Prepare"/> with <see cref="Models.ModelMemoryException"/>. Null: the machine's memory.
    /// </summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>
    /// Frames per clip the caller asks for, or null to take what the model makes. A video model makes a fixed number
    /// (its frame grid, S²); any other number, or frames from an image model, is refused before sampling.
    /// </summary>
    public int? Frames { get; init; }
}
