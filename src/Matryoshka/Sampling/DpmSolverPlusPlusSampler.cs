using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// DPM-Solver++ multistep (Lu et al.), the data-prediction (x₀) form with the midpoint second-order rule, following
/// diffusers' <c>DPMSolverMultistepScheduler</c> (<c>algorithm_type="dpmsolver++"</c>, <c>solver_type="midpoint"</c>,
/// <c>lower_order_final=True</c>, <c>final_sigmas_type="zero"</c>). With α = √ᾱ, σ = √(1−ᾱ), λ = log(α/σ) of each
/// level's own shifted schedule and h = λ_t − λ_s, one step from s to t is
/// x_t = (σ_t/σ_s)·x_s + α_t(1 − e^{−h})·(D₀ + D₁/2), where D₀ is this step's thresholded x₀ estimate and
/// D₁ = (D₀ − D₋₁)·h/(λ_s − λ_prev) uses the previous step's (D₁ = 0 at first order). The first step uses first
/// order (there is no previous estimate) and so does the last, which lands on the clean image (σ = 0, λ = +∞)
/// and returns the x₀ estimate itself. Deterministic: draws no noise. The sampler is immutable; the previous
/// estimates live in each generation's run.
/// </summary>
public sealed class DpmSolverPlusPlusSampler : ISampler
{
    /// <summary>Creates the sampler with solver order 1 (equivalent to DDIM with η = 0) or 2 (the default, "2M").</summary>
    public DpmSolverPlusPlusSampler(int order = 2)
    {
        if (order is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(order), order, "The solver order must be 1 or 2.");
        Order = order;
    }

    /// <summary>The solver order: 1 or 2.</summary>
    public int Order { get; }

    /// <inheritdoc />
    public string Name => FormattableString.Invariant($"dpm++{Order}m");

    /// <inheritdoc />
    /// <remarks>The run holds tensors between steps and implements <see cref="IDisposable"/>; it frees them itself after the last step.</remarks>
    public ISamplerRun Start(SamplingPlan plan) => new DpmSolverPlusPlusRun(Order, plan ?? throw new ArgumentNullException(nameof(plan)));
}
