using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// DDIM (Song et al.) as ml-mdm implements it: with ε = (x_t − √ᾱ_t·x₀)/√(1−ᾱ_t),
/// x_s = √ᾱ_s·x₀ + √(1 − ᾱ_s − η²β̃)·ε + η·√β̃·z; η = 0 is deterministic and draws no noise.
/// </summary>
public sealed class DdimSampler : LevelStepSampler
{
    /// <summary>Creates a DDIM sampler with stochasticity <paramref name="eta"/> ≥ 0 (0: deterministic; 1: DDPM-like variance).</summary>
    public DdimSampler(double eta = 0)
    {
        if (!(eta >= 0) || double.IsInfinity(eta)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "η must be a finite number ≥ 0.");
        Eta = eta;
    }

    /// <summary>η, the share of the posterior variance re-injected as noise.</summary>
    public double Eta { get; }

    /// <inheritdoc />
    public override string Name => FormattableString.Invariant($"ddim(eta={Eta})");

    /// <inheritdoc />
    protected internal override Tensor StepLevel(Tensor xt, Tensor x0, Tensor alphaBar, Tensor alphaBarNext, Func<Tensor> drawNoise)
    {
        var g = alphaBar;
        var gLast = alphaBarNext;
        var eps = (xt - x0 * g.sqrt()) / (1 - g).sqrt();
        if (Eta == 0) return x0 * gLast.sqrt() + eps * (1 - gLast).sqrt();

        var beta = 1 - g / gLast;
        var betaTilde = Eta * Eta * (beta * (1 - gLast) / (1 - g));
        return x0 * gLast.sqrt() + eps * (1 - gLast - betaTilde).sqrt() + betaTilde.sqrt() * drawNoise();
    }
}
