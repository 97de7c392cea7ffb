using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// transformers' <c>T5LayerNorm</c>: RMS normalisation without mean subtraction or bias, <c>weight · x / √(mean(x²) + ε)</c>.
/// The mean square is always taken in float32; in half precision the normalised value is rounded to the weight's
/// dtype before the scale, as upstream does.
/// </summary>
internal sealed class T5LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _epsilon;

    public T5LayerNorm(long width, double epsilon, Device device, ScalarType dtype) : base(nameof(T5LayerNorm))
    {
        weight = new Parameter(ones(new[] { width }, dtype: dtype, device: device));
        _epsilon = epsilon;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var epsilon = _epsilon.ToScalar();
        var variance = x.to(ScalarType.Float32).pow(T5Scalars.Two).mean(new long[] { -1 }, keepdim: true);
        var normalised = x.mul(variance.add(epsilon).rsqrt());
        if (weight.dtype is ScalarType.Float16 or ScalarType.BFloat16) normalised = normalised.to(weight.dtype);
        return weight.mul(normalised).MoveToOuterDisposeScope();
    }
}
