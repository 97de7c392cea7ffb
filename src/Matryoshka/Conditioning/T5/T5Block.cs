using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// transformers' <c>T5Block</c> in the encoder: <c>layer.0</c> self-attention, <c>layer.1</c> feed-forward, each
/// pre-norm with a residual. In float16, hidden states are clamped to the finite range after each, as upstream does.
/// </summary>
internal sealed class T5Block : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<nn.Module> layer;

    public T5Block(T5EncoderConfig config, bool hasRelativeBias, Device device, ScalarType dtype) : base(nameof(T5Block))
    {
        layer = new ModuleList<nn.Module>(new T5LayerSelfAttention(config, hasRelativeBias, device, dtype), new T5LayerFF(config, device, dtype));
        RegisterComponents();
    }

    private T5LayerSelfAttention Attention => (T5LayerSelfAttention)layer[0];

    private T5LayerFF FeedForward => (T5LayerFF)layer[1];

    /// <summary>The relative-position bias [1, H, q, k] (block 0 only).</summary>
    public Tensor ComputeBias(long queryLength, long keyLength) => Attention.ComputeBias(queryLength, keyLength);

    public override Tensor forward(Tensor x, Tensor positionBias)
    {
        using var scope = NewDisposeScope();
        var h = ClampHalf(Attention.call(x, positionBias));
        return ClampHalf(FeedForward.call(h)).MoveToOuterDisposeScope();
    }

    // transformers clamps float16 hidden states to ±(max − 1000) when any is infinite, else to ±max.
    private static Tensor ClampHalf(Tensor h)
    {
        if (h.dtype != ScalarType.Float16) return h;
        double max = 65504;
        if (h.isinf().any().item<bool>()) max -= 1000;
        using var low = (-max).ToScalar();
        using var high = max.ToScalar();
        return h.clamp(low, high);
    }
}
