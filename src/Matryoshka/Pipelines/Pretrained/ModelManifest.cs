using Matryoshka.Conditioning;
using Matryoshka.Sampling;

namespace Matryoshka.Pipelines.Pretrained;

/// <summary>
/// What a model folder says about itself (its <c>matryoshka.json</c>, the role diffusers' <c>model_index.json</c>
/// plays): the architecture config and weights, the text encoder it was trained with, how its outputs map to pixels,
/// and the generation settings it was tuned for. <see cref="MatryoshkaPipeline.FromPretrained"/> builds a ready
/// pipeline from it; explicit builder calls override any of these settings. Paths are absolute once read.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The manifest's file name inside a model folder.</summary>
    public const string FileName = "matryoshka.json";

    /// <summary>The folder the manifest was read from.</summary>
    public required string Folder { get; init; }

    /// <summary>A short name, e.g. <c>emoji-64</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The ml-mdm model config (YAML or config.json) with its diffusion_config.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The weights (.safetensors or ml-mdm .pth).</summary>
    public required string WeightsPath { get; init; }

    /// <summary>The text encoder; null for a model that is not text-conditioned.</summary>
    public TextEncoderSpec? TextEncoder { get; init; }

    /// <summary>How the model's values map to pixel bytes.</summary>
    public PixelConvention Pixels { get; init; } = PixelConvention.MlMdm;

    /// <summary>Default sampler name (<see cref="Samplers.Names"/>).</summary>
    public string? Sampler { get; init; }

    /// <summary>Default number of sampling steps.</summary>
    public int? Steps { get; init; }

    /// <summary>Default classifier-free guidance scale.</summary>
    public double? Guidance { get; init; }

    /// <summary>Thresholding name (<see cref="ThresholdingNames.Names"/>); null keeps the config's.</summary>
    public string? Thresholding { get; init; }

    /// <summary>Default device name (e.g. <c>cpu</c>, <c>cuda:0</c>); null for the CPU.</summary>
    public string? Device { get; init; }

    /// <summary>Where the model comes from: training run, data, licence — free text for people.</summary>
    public IReadOnlyDictionary<string, string> Provenance { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads <c>matryoshka.json</c> from <paramref name="folder"/> and checks every field and file it names.</summary>
    /// <exception cref="ModelManifestException">The manifest is missing, not JSON, or a field is missing or invalid (the message names the file and field).</exception>
    public static ModelManifest Load(string folder) => ModelManifestReader.Read(folder);
}
