using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// transformers' <c>DenseReluDense</c> of a T5 block, both kinds under the same key: gated (<c>T5DenseGatedActDense</c>,
/// T5 v1.1 / flan-T5) <c>wo(act(wi_0·x) ⊙ wi_1·x)</c> with keys <c>wi_0</c>, <c>wi_1</c>, <c>wo</c>; plain
/// (<c>T5DenseActDense</c>, original T5) <c>wo(act(wi·x))</c> with keys <c>wi</c>, <c>wo</c>. All projections are bias-free.
/// </summary>
internal sealed class T5FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear? wi;
    private readonly Linear? wi_0;
    private readonly Linear? wi_1;
    private readonly Linear wo;
    private readonly T5Activation _activation;

    public T5FeedForward(T5EncoderConfig config, Device device, ScalarType dtype) : base(nameof(T5FeedForward))
    {
        _activation = config.Activation;
        Linear In() => nn.Linear(config.ModelDim, config.FeedForwardDim, hasBias: false, device: device, dtype: dtype);
        if (config.IsGated)
        {
            wi_0 = In();
            wi_1 = In();
        }
        else
        {
            wi = In();
        }
        wo = nn.Linear(config.FeedForwardDim, config.ModelDim, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = wi is not null
            ? T5Activations.Apply(_activation, wi.call(x))
            : T5Activations.Apply(_activation, wi_0!.call(x)).mul(wi_1!.call(x));
        return wo.call(hidden).MoveToOuterDisposeScope();
    }
}
