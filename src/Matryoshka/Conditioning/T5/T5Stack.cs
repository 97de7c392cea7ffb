using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// transformers' <c>T5Stack</c> as an encoder (the <c>encoder.</c> keys): the blocks, with the position bias computed
/// once by block 0 and the padding mask <c>(1 − mask)·finfo(dtype).min</c> added to it, then <c>final_layer_norm</c>.
/// The token embedding lives in <see cref="T5Encoder"/> (<c>shared</c>), as in transformers.
/// </summary>
internal sealed class T5Stack : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly ModuleList<T5Block> block;
    private readonly T5LayerNorm final_layer_norm;

    public T5Stack(T5EncoderConfig config, Device device, ScalarType dtype) : base(nameof(T5Stack))
    {
        block = new ModuleList<T5Block>(Enumerable.Range(0, config.NumLayers).Select(i => new T5Block(config, i == 0, device, dtype)).ToArray());
        final_layer_norm = new T5LayerNorm(config.ModelDim, config.LayerNormEpsilon, device, dtype);
        RegisterComponents();
    }

    /// <summary>Block 0's relative-position bias [1, H, q, k], before any mask.</summary>
    public Tensor ComputeBias(long queryLength, long keyLength) => block[0].ComputeBias(queryLength, keyLength);

    public override Tensor forward(Tensor embeddings, Tensor? attentionMask) => Forward(embeddings, attentionMask, null);

    /// <param name="embeddings">[B, S, D] token embeddings.</param>
    /// <param name="attentionMask">[B, S], 1 for tokens and 0 for padding; null: no padding.</param>
    /// <param name="hiddenStates">When given, receives transformers' <c>hidden_states</c>: the embeddings, then each block's output (the last is before the final norm).</param>
    public Tensor Forward(Tensor embeddings, Tensor? attentionMask, IList<Tensor>? hiddenStates)
    {
        using var scope = NewDisposeScope();
        long length = embeddings.shape[1];
        var bias = ComputeBias(length, length);
        if (attentionMask is not null) bias = bias.add(PaddingBias(attentionMask, bias.dtype), T5Scalars.One);
        int recorded = hiddenStates?.Count ?? 0;
        var h = embeddings;
        hiddenStates?.Add(h.alias());
        foreach (var b in block)
        {
            h = b.call(h, bias);
            hiddenStates?.Add(h);
        }
        var result = final_layer_norm.call(h);
        if (hiddenStates is not null) T5HiddenStates.MoveToOuterDisposeScope(hiddenStates, recorded);
        return result.MoveToOuterDisposeScope();
    }

    // transformers' get_extended_attention_mask: [B, 1, 1, S], 0 for tokens and the dtype's lowest value for padding.
    private static Tensor PaddingBias(Tensor mask, ScalarType dtype)
    {
        using var lowest = finfo(dtype).min.ToScalar();
        return mask.unsqueeze(1).unsqueeze(1).to(dtype).neg().add(T5Scalars.One).mul(lowest);
    }
}
