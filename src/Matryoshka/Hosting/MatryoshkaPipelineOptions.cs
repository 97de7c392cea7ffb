using System.ComponentModel.DataAnnotations;
using Matryoshka.Pipelines.Pretrained;
using Matryoshka.Sampling;

namespace Matryoshka.Hosting;

/// <summary>
/// Configuration of one pipeline registered with <see cref="MatryoshkaServiceCollectionExtensions.AddMatryoshka"/>
/// (bindable from appsettings). Validated when the host starts.
/// </summary>
public sealed class MatryoshkaPipelineOptions
{
    /// <summary>
    /// A model folder with a <c>matryoshka.json</c> manifest (weights, config, text encoder and tuned settings); instead
    /// of <see cref="ModelConfigPath"/> and <see cref="WeightsPath"/>. The other options, where set, override the manifest.
    /// </summary>
    public string? ModelFolder { get; set; }

    /// <summary>ml-mdm model config (YAML or config.json); its diffusion settings are used too.</summary>
    public string ModelConfigPath { get; set; } = "";

    /// <summary>Weights: .safetensors or an ml-mdm checkpoint (.pth).</summary>
    public string WeightsPath { get; set; } = "";

    /// <summary>Text width when the config leaves it to run time (2048 for ml-mdm's released models).</summary>
    public int? TextEmbeddingDim { get; set; }

    /// <summary>Sampler: <c>ddim</c>, <c>ddpm</c> or <c>dpm++2m</c>; null: the model's (manifest), else DDIM.</summary>
    public string? Sampler { get; set; }

    /// <summary>DDIM η.</summary>
    public double Eta { get; set; }

    /// <summary>Default number of steps; null: the model's (manifest), else 50.</summary>
    [Range(1, 1000)]
    public int? Steps { get; set; }

    /// <summary>Default classifier-free guidance scale; null: the model's (manifest), else 7.5.</summary>
    public double? GuidanceScale { get; set; }

    /// <summary>Device, e.g. <c>cpu</c> or <c>cuda:0</c>; null: the model's (manifest), else the CPU.</summary>
    public string? Device { get; set; }

    /// <summary>Problems with these options, empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(ModelFolder))
        {
            if (!string.IsNullOrWhiteSpace(ModelConfigPath) || !string.IsNullOrWhiteSpace(WeightsPath))
                problems.Add("Give ModelFolder or ModelConfigPath and WeightsPath, not both.");
            // The manifest and its files are checked now, so a bad model folder fails at start, not at the first resolve.
            try
            {
                TextWidthCheck.Verify(ModelManifest.Load(ModelFolder));
            }
            catch (MatryoshkaException e)
            {
                problems.Add(e.Message);
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(ModelConfigPath)) problems.Add("ModelConfigPath (or ModelFolder) is required.");
            else if (!File.Exists(ModelConfigPath)) problems.Add($"ModelConfigPath '{ModelConfigPath}' does not exist.");
            if (string.IsNullOrWhiteSpace(WeightsPath)) problems.Add("WeightsPath (or ModelFolder) is required.");
            else if (!File.Exists(WeightsPath)) problems.Add($"WeightsPath '{WeightsPath}' does not exist.");
        }
        if (Sampler is not null && !Samplers.Names.Contains(Sampler.ToLowerInvariant())) problems.Add($"Sampler '{Sampler}' is not one of {string.Join(", ", Samplers.Names)}.");
        if (!(Eta >= 0) || double.IsInfinity(Eta)) problems.Add($"Eta must be a finite number ≥ 0; got {Eta}.");
        if (Steps is < 1 or > 1000) problems.Add($"Steps must be in [1, 1000]; got {Steps}.");
        if (GuidanceScale is { } scale && !double.IsFinite(scale)) problems.Add("GuidanceScale must be finite.");
        if (TextEmbeddingDim is <= 0) problems.Add($"TextEmbeddingDim must be positive; got {TextEmbeddingDim}.");
        if (Device is not null)
        {
            try { _ = Devices.Parse(Device); }
            catch (MatryoshkaException e) { problems.Add(e.Message); }
        }
        return problems;
    }
}
