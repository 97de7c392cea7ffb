using System.ComponentModel.DataAnnotations;
using Matryoshka.Sampling;

namespace Matryoshka.Hosting;

/// <summary>
/// Configuration of one pipeline registered with <see cref="MatryoshkaServiceCollectionExtensions.AddMatryoshka"/>
/// (bindable from appsettings). Validated when the host starts.
/// </summary>
public sealed class MatryoshkaPipelineOptions
{
    /// <summary>ml-mdm model config (YAML or config.json); its diffusion settings are used too.</summary>
    public string ModelConfigPath { get; set; } = "";

    /// <summary>Weights: .safetensors or an ml-mdm checkpoint (.pth).</summary>
    public string WeightsPath { get; set; } = "";

    /// <summary>Text width when the config leaves it to run time (2048 for ml-mdm's released models).</summary>
    public int? TextEmbeddingDim { get; set; }

    /// <summary>Sampler: <c>ddim</c>, <c>ddpm</c> or <c>dpm++2m</c>.</summary>
    public string Sampler { get; set; } = "ddim";

    /// <summary>DDIM η.</summary>
    public double Eta { get; set; }

    /// <summary>Default number of steps.</summary>
    [Range(1, 1000)]
    public int Steps { get; set; } = 50;

    /// <summary>Default classifier-free guidance scale.</summary>
    public double GuidanceScale { get; set; } = 7.5;

    /// <summary>Device, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Problems with these options, empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelConfigPath)) problems.Add("ModelConfigPath is required.");
        else if (!File.Exists(ModelConfigPath)) problems.Add($"ModelConfigPath '{ModelConfigPath}' does not exist.");
        if (string.IsNullOrWhiteSpace(WeightsPath)) problems.Add("WeightsPath is required.");
        else if (!File.Exists(WeightsPath)) problems.Add($"WeightsPath '{WeightsPath}' does not exist.");
        if (!Samplers.Names.Contains(Sampler?.ToLowerInvariant())) problems.Add($"Sampler '{Sampler}' is not one of {string.Join(", ", Samplers.Names)}.");
        if (!(Eta >= 0) || double.IsInfinity(Eta)) problems.Add($"Eta must be a finite number ≥ 0; got {Eta}.");
        if (Steps is < 1 or > 1000) problems.Add($"Steps must be in [1, 1000]; got {Steps}.");
        if (!double.IsFinite(GuidanceScale)) problems.Add("GuidanceScale must be finite.");
        if (TextEmbeddingDim is <= 0) problems.Add($"TextEmbeddingDim must be positive; got {TextEmbeddingDim}.");
        try { _ = new TorchSharp.torch.Device(Device); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException) { problems.Add($"Device '{Device}' is not a device name ({e.Message})."); }
        return problems;
    }
}
