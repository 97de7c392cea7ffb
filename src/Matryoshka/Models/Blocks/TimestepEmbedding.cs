using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// ml-mdm's sinusoidal embedding of a step index or micro-conditioning value: [sin(v·f), cos(v·f)] (sin first)
/// with f_i = exp(−ln(10000)·i/half), half = temporal_dim/8, so the width is temporal_dim/4. Always computed in
/// float32 (a bf16 product v·f would lose the step index).
/// </summary>
internal static class TimestepEmbedding
{
    public static Tensor Sinusoid(Tensor values, int temporalDim)
    {
        using var scope = NewDisposeScope();
        int half = temporalDim / 8;
        // An explicit scalar: an implicit one can be freed by its finalizer mid-call (docs/troubleshooting.md).
        using var exponent = (-(Math.Log(10000) / half)).ToScalar();
        var frequencies = arange(half, dtype: ScalarType.Float32, device: values.device).mul(exponent).exp();
        var arguments = values.to(ScalarType.Float32).view(-1, 1) * frequencies.unsqueeze(0);
        return cat(new[] { arguments.sin(), arguments.cos() }, 1).MoveToOuterDisposeScope();
    }
}
