using Matryoshka.Pipelines;
using Matryoshka.Sampling;

namespace Matryoshka.Interop.MlMdm.Presets;

/// <summary>Settings Apple published with ml-mdm for its released models (docs/apple-models.md).</summary>
public static class MlMdmPresets
{
    /// <summary>
    /// The sampling settings of ml-mdm's web demo (<c>generate_sample.py</c>): DDIM with η 0, 50 steps, guidance 7.5,
    /// DeepFloyd's dynamic thresholding (<see cref="Thresholding.DeepFloyd"/>: quantile 0.95, at most 1.5) and seed 137.
    /// In a model folder's manifest the same are <c>"sampler": "ddim", "steps": 50, "guidance": 7.5,
    /// "thresholding": "dynamic_if"</c> (a manifest holds no seed).
    /// </summary>
    public static SamplingPreset WebDemo { get; } = new("ddim", 50, 7.5, Thresholding.DeepFloyd, 137);
}
