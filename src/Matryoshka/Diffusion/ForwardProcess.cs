using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Diffusion;

/// <summary>
/// The forward (noising) process q(x_t | x₀) = N(√ᾱ_t·x₀, (1−ᾱ_t)·I), applied per level with each level's own
/// ᾱ and its own, independent noise.
/// </summary>
public static class ForwardProcess
{
    /// <summary>x_t = √ᾱ·x₀ + √(1−ᾱ)·ε, with ᾱ a scalar, a per-sample [B] tensor or any broadcastable shape.</summary>
    public static Tensor AddNoise(Tensor x0, Tensor noise, Tensor alphaBar)
    {
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentNullException.ThrowIfNull(noise);
        if (!x0.shape.SequenceEqual(noise.shape))
            throw new ArgumentException($"Noise shape [{string.Join(", ", noise.shape)}] differs from image shape [{string.Join(", ", x0.shape)}].", nameof(noise));
        using var scope = NewDisposeScope();
        var g = Parameterization.Broadcastable(alphaBar, x0);
        return (g.sqrt() * x0 + (1 - g).sqrt() * noise).MoveToOuterDisposeScope();
    }

    /// <summary>Adds noise to every level: <c>x_t[l] = AddNoise(x0[l], noise[l], alphaBars[l])</c>.</summary>
    public static Tensor[] AddNoise(IReadOnlyList<Tensor> x0, IReadOnlyList<Tensor> noise, IReadOnlyList<Tensor> alphaBars)
    {
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(alphaBars);
        if (noise.Count != x0.Count || alphaBars.Count != x0.Count)
            throw new ArgumentException($"Need one noise tensor and one ᾱ per level: {x0.Count} levels, {noise.Count} noise tensors, {alphaBars.Count} ᾱ.");
        return x0.Select((x, l) => AddNoise(x, noise[l], alphaBars[l])).ToArray();
    }

    /// <summary>
    /// Fresh standard-normal noise shaped like each level, drawn level by level (high → low) from
    /// <paramref name="generator"/> on the CPU and then moved to the levels' device, so a seed gives the same
    /// noise on every device. Every level's noise is independent, as in ml-mdm.
    /// </summary>
    public static Tensor[] SampleNoise(IReadOnlyList<Tensor> like, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(like);
        return like.Select(x =>
        {
            var cpu = randn(x.shape, dtype: x.dtype, device: CPU, generator: generator);
            if (x.device.type == DeviceType.CPU) return cpu;
            using (cpu) return cpu.to(x.device);
        }).ToArray();
    }
}
