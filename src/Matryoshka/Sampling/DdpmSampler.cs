using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// Ancestral DDPM sampling over strided steps, as ml-mdm does it (<c>ddim_eta=None</c>): the posterior mean
/// x_s = x₀·β·√ᾱ_s/(1−ᾱ_t) + x_t·√α·(1−ᾱ_s)/(1−ᾱ_t) plus √β̃·z, with α = ᾱ_t/ᾱ_s, β = 1 − α and
/// β̃ = β(1−ᾱ_s)/(1−ᾱ_t).
/// </summary>
public sealed class DdpmSampler : LevelStepSampler
{
    /// <inheritdoc />
    public override string Name => "ddpm";

    /// <inheritdoc />
    protected internal override Tensor StepLevel(Tensor xt, Tensor x0, Tensor alphaBar, Tensor alphaBarNext, Func<Tensor> drawNoise)
    {
        var g = alphaBar;
        var gLast = alphaBarNext;
        var alpha = g / gLast;
        var beta = 1 - alpha;
        var betaTilde = beta * (1 - gLast) / (1 - g);
        var mean = x0 * beta * gLast.sqrt() / (1 - g) + xt * alpha.sqrt() * (1 - gLast) / (1 - g);
        return mean + betaTilde.sqrt() * drawNoise();
    }
}
