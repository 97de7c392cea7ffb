using Matryoshka.Diffusion;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Sampling;

/// <summary>
/// Data whose pixels are i.i.d. N(μ, s²), for which the ideal denoiser is known in closed form: with
/// x_t = √ᾱ·x₀ + √(1−ᾱ)·ε, E[x₀ | x_t] = μ + √ᾱ·s²/(ᾱ·s² + 1 − ᾱ)·(x_t − √ᾱ·μ). A sampler driven by it must
/// reproduce N(μ, s²) up to its discretisation error.
/// </summary>
public sealed record GaussianData(double Mean, double Std)
{
    /// <summary>The ideal v-prediction network for <paramref name="schedule"/>: each level's ᾱ at index = network timestep + 1.</summary>
    public Denoiser VPredictionDenoiser(MultiResolutionSchedule schedule) => (noisy, networkTimesteps) =>
    {
        int index = (int)networkTimesteps[0].item<long>() + 1;
        var predictions = new Tensor[noisy.Count];
        for (int level = 0; level < noisy.Count; level++)
        {
            using var scope = NewDisposeScope();
            var xt = noisy[level];
            double alphaBar = schedule.Level(level)[index];
            double variance = Std * Std;
            double gain = Math.Sqrt(alphaBar) * variance / (alphaBar * variance + 1 - alphaBar);
            var x0 = (xt - Math.Sqrt(alphaBar) * Mean) * gain + Mean;
            var g = tensor((float)alphaBar, dtype: xt.dtype, device: xt.device);
            predictions[level] = Parameterization.FromSample(PredictionType.VPrediction, xt, x0, g).MoveToOuterDisposeScope();
        }
        return predictions;
    };
}
