using Matryoshka.Sampling;

namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>The result of replaying a forward or sampling bundle with a diffusion model (<see cref="ParityVerifier.VerifyModel"/>).</summary>
/// <param name="Resolutions">The model's levels, highest first.</param>
/// <param name="TensorsLoaded">How many weight tensors were loaded.</param>
/// <param name="WeightsFile">The weights' file name.</param>
/// <param name="Sampling">The sampler settings of a sampling bundle's replay; null for a forward bundle.</param>
/// <param name="Levels">One comparison per level.</param>
/// <param name="Tolerance">The tolerance the levels were held to.</param>
public sealed record ParityReport(
    IReadOnlyList<int> Resolutions, int TensorsLoaded, string WeightsFile, SamplingParity? Sampling, IReadOnlyList<LevelParity> Levels, double Tolerance)
{
    /// <summary>Whether every level is within the tolerance.</summary>
    public bool WithinTolerance => Levels.All(level => level.WithinTolerance);
}

/// <summary>How a sampling bundle was replayed.</summary>
/// <param name="Sampler">The sampler's name.</param>
/// <param name="Steps">Number of steps.</param>
/// <param name="Guidance">Classifier-free guidance scale.</param>
/// <param name="Thresholding">The x₀ thresholding used.</param>
public sealed record SamplingParity(string Sampler, int Steps, double Guidance, ThresholdingKind Thresholding);
