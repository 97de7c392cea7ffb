using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>transformers' <c>T5LayerSelfAttention</c> (<c>layer.0</c> of a block): <c>x + SelfAttention(layer_norm(x))</c>.</summary>
internal sealed class T5LayerSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly T5Attention SelfAttention;
    private readonly T5LayerNorm layer_norm;

    public T5LayerSelfAttention(T5EncoderConfig config, bool hasRelativeBias, Device device, ScalarType dtype) : base(nameof(T5LayerSelfAttention))
    {
        SelfAttention = new T5Attention(config, hasRelativeBias, device, dtype);
        layer_norm = new T5LayerNorm(config.ModelDim, config.LayerNormEpsilon, device, dtype);
        RegisterComponents();
    }

    /// <summary>The relative-position bias of this layer's attention (block 0 only).</summary>
    public Tensor ComputeBias(long queryLength, long keyLength) => SelfAttention.ComputeBias(queryLength, keyLength);

    public override Tensor forward(Tensor x, Tensor positionBias)
    {
        using var scope = NewDisposeScope();
        return x.add(SelfAttention.call(layer_norm.call(x), positionBias), T5Scalars.One).MoveToOuterDisposeScope();
    }
}
