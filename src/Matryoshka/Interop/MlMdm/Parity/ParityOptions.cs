using Matryoshka.Sampling;
using static TorchSharp.torch;

namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>
/// How <see cref="ParityVerifier.VerifyModel"/> replays a recorded run: the tolerance, the device the model runs on, and
/// for sampling bundles the sampler settings the recording used (forward bundles ignore those).
/// </summary>
public sealed record ParityOptions
{
    /// <summary>Largest allowed absolute difference per level (and per recorded step).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Sampling bundles: the sampler's name (one of <see cref="Samplers.Names"/>).</summary>
    public string Sampler { get; init; } = "ddim";

    /// <summary>Sampling bundles: DDIM η.</summary>
    public double Eta { get; init; }

    /// <summary>Sampling bundles: number of steps.</summary>
    public int Steps { get; init; } = 50;

    /// <summary>Sampling bundles: classifier-free guidance scale.</summary>
    public double Guidance { get; init; } = 1;

    /// <summary>Sampling bundles: x₀ thresholding; null: the config's diffusion_config.</summary>
    public Thresholding? Thresholding { get; init; }

    /// <summary>Where the model runs; null: the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>Checks the tolerance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance is negative, infinite or NaN.</exception>
    public void Validate()
    {
        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "must be a finite number ≥ 0");
    }
}
