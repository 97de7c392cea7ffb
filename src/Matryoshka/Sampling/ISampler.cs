using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// A sampling algorithm (diffusers' scheduler). The sampler itself is immutable configuration, safe to share; each
/// generation calls <see cref="Start"/> for its own <see cref="ISamplerRun"/>, which holds whatever state the
/// algorithm keeps between steps. Implement this to add a sampler.
/// </summary>
public interface ISampler
{
    /// <summary>A short name, e.g. <c>ddim(eta=0)</c>.</summary>
    string Name { get; }

    /// <summary>Begins one generation.</summary>
    ISamplerRun Start(SamplingPlan plan);
}

/// <summary>The per-generation state of a sampler; used by one thread, step by step, in order.</summary>
public interface ISamplerRun
{
    /// <summary>
    /// Moves every level from <c>plan.Timesteps[index]</c> to <c>plan.Timesteps[index + 1]</c>, given the network's
    /// (guided) prediction for every level. Levels are high → low.
    /// </summary>
    /// <returns>The next x_t of every level and the thresholded x₀ estimate each step used.</returns>
    SamplerStepResult Step(int index, IReadOnlyList<Tensor> noisy, IReadOnlyList<Tensor> prediction, INoiseSource noise);
}

/// <summary>The result of one sampler step; tensors belong to the caller's dispose scope.</summary>
/// <param name="Next">x at the next timestep, every level, high → low.</param>
/// <param name="Sample">The thresholded x₀ estimate of every level.</param>
public sealed record SamplerStepResult(IReadOnlyList<Tensor> Next, IReadOnlyList<Tensor> Sample);
