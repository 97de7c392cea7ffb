using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>transformers' <c>T5LayerFF</c> (<c>layer.1</c> of a block): <c>x + DenseReluDense(layer_norm(x))</c>.</summary>
internal sealed class T5LayerFF : nn.Module<Tensor, Tensor>
{
    private readonly T5FeedForward DenseReluDense;
    private readonly T5LayerNorm layer_norm;

    public T5LayerFF(T5EncoderConfig config, Device device, ScalarType dtype) : base(nameof(T5LayerFF))
    {
        DenseReluDense = new T5FeedForward(config, device, dtype);
        layer_norm = new T5LayerNorm(config.ModelDim, config.LayerNormEpsilon, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return x.add(DenseReluDense.call(layer_norm.call(x)), T5Scalars.One).MoveToOuterDisposeScope();
    }
}
