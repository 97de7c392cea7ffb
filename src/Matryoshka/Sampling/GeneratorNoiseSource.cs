using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// Standard-normal noise from one seeded CPU generator, moved to the target device afterwards, so a seed gives the
/// same images on every device. Draws happen in the order a sampler asks (ml-mdm's: initial noise level by level,
/// then per step level by level high → low).
/// </summary>
public sealed class GeneratorNoiseSource : INoiseSource
{
    private readonly Generator _generator;

    /// <summary>Creates a source seeded with <paramref name="seed"/>.</summary>
    public GeneratorNoiseSource(ulong seed) => _generator = new Generator(seed, CPU);

    /// <inheritdoc />
    public Tensor Initial(int level, Tensor like) => Draw(like);

    /// <inheritdoc />
    public Tensor Step(int step, int level, Tensor like) => Draw(like);

    private Tensor Draw(Tensor like)
    {
        var cpu = randn(like.shape, dtype: ScalarType.Float32, device: CPU, generator: _generator);
        if (like.device.type == DeviceType.CPU && like.dtype == ScalarType.Float32) return cpu;
        using (cpu) return cpu.to(like.dtype, like.device);
    }
}
