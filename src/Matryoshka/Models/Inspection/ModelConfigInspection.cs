using Matryoshka.Conditioning.T5;
using Matryoshka.Interop.MlMdm;

namespace Matryoshka.Models.Inspection;

/// <summary>An ml-mdm model config: its levels with parameter counts and forward FLOPs, its diffusion_config, and its text encoder's size if one was given.</summary>
/// <param name="Path">The file, as the caller named it.</param>
/// <param name="Summary">Parameters, state_dict tensors and weight sizes, per level and in total.</param>
/// <param name="Flops">Forward FLOPs per level at batch 1.</param>
/// <param name="Diffusion">The validated diffusion_config, or null when the file has none.</param>
/// <param name="TextEncoder">The T5 encoder given in the options, or null.</param>
/// <param name="TextEncoderName">How the options named <paramref name="TextEncoder"/>.</param>
public sealed record ModelConfigInspection(
    string Path, ModelSummary Summary, ModelFlops Flops, MlMdmDiffusionConfig? Diffusion, T5EncoderConfig? TextEncoder, string? TextEncoderName)
    : InspectionReport(Path)
{
    /// <summary>What the config reader accepted but is likely a mistake (a repeated YAML key), one sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
