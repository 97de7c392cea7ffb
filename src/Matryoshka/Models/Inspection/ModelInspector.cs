using Matryoshka.IO;
using Matryoshka.Interop.MlMdm;

namespace Matryoshka.Models.Inspection;

/// <summary>
/// Validates a file and describes what it holds, without allocating weights: a <c>.safetensors</c> file's tensors
/// and metadata, or an ml-mdm model config's (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>) levels, parameters, forward
/// FLOPs, weight memory and diffusion_config. <see cref="InspectionText"/> and <see cref="InspectionJson"/> render the
/// report the way <c>matryoshka inspect</c> prints it.
/// </summary>
public static class ModelInspector
{
    /// <summary>Inspects <paramref name="path"/>; its extension picks the reader.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnsupportedInspectionFileException">The extension is not one of .safetensors, .yaml, .yml, .json.</exception>
    /// <exception cref="SafetensorsFormatException">The safetensors file is invalid.</exception>
    /// <exception cref="ModelConfigurationException">The model config or its diffusion_config is invalid (the message names the field).</exception>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="ModelInspectionOptions.Validate"/>).</exception>
    public static InspectionReport Inspect(string path, ModelInspectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new ModelInspectionOptions();
        options.Validate();
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".safetensors" => new SafetensorsInspection(path, SafetensorsReader.ReadHeader(path)),
            ".json" or ".yaml" or ".yml" => InspectModelConfig(path, options),
            _ => throw new UnsupportedInspectionFileException(path),
        };
    }

    private static ModelConfigInspection InspectModelConfig(string path, ModelInspectionOptions options)
    {
        var warnings = new List<string>();
        var config = ModelConfigFiles.Load(path, options.TextEncoder?.ModelDim ?? options.TextEmbeddingDim, warnings.Add);
        var summary = ModelSummary.Of(config);
        var flops = ModelFlops.Of(summary.Plan, options.TextLength);
        var diffusion = MlMdmDiffusionConfig.FromFileIfPresent(path);
        diffusion?.CreateSchedule(summary.Plan.Resolutions); // validates the schedule options against the levels
        return new ModelConfigInspection(path, summary, flops, diffusion, options.TextEncoder, options.TextEncoderName) { Warnings = warnings };
    }
}
