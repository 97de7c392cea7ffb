using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// transformers' <c>T5Attention</c> for the encoder: bias-free q/k/v/o projections, scores q·kᵀ with no 1/√d_kv
/// scaling, plus a position bias (the relative-position bias with the padding mask added), softmax in float32.
/// Only the first block owns <c>relative_attention_bias</c>; the bias it computes is reused by every block.
/// </summary>
internal sealed class T5Attention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly Embedding? relative_attention_bias;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly int _buckets;
    private readonly int _maxDistance;

    public T5Attention(T5EncoderConfig config, bool hasRelativeBias, Device device, ScalarType dtype) : base(nameof(T5Attention))
    {
        _heads = config.NumHeads;
        _headDim = config.KeyValueDim;
        _buckets = config.RelativeAttentionNumBuckets;
        _maxDistance = config.RelativeAttentionMaxDistance;
        long inner = (long)_heads * _headDim;
        q = nn.Linear(config.ModelDim, inner, hasBias: false, device: device, dtype: dtype);
        k = nn.Linear(config.ModelDim, inner, hasBias: false, device: device, dtype: dtype);
        v = nn.Linear(config.ModelDim, inner, hasBias: false, device: device, dtype: dtype);
        o = nn.Linear(inner, config.ModelDim, hasBias: false, device: device, dtype: dtype);
        if (hasRelativeBias) relative_attention_bias = nn.Embedding(_buckets, _heads, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>The relative-position bias [1, H, queryLength, keyLength] (transformers' <c>compute_bias</c>).</summary>
    /// <exception cref="InvalidOperationException">This block has no <c>relative_attention_bias</c> (only block 0 has one).</exception>
    public Tensor ComputeBias(long queryLength, long keyLength)
    {
        if (relative_attention_bias is null) throw new InvalidOperationException("only the first T5 block owns relative_attention_bias");
        using var scope = NewDisposeScope();
        var buckets = T5RelativePosition.Buckets(queryLength, keyLength, _buckets, _maxDistance, relative_attention_bias.weight!.device);
        return relative_attention_bias.call(buckets).permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <param name="x">Normalised hidden states [B, S, D].</param>
    /// <param name="positionBias">[1 or B, H, S, S], added to the scores (padding mask included).</param>
    public override Tensor forward(Tensor x, Tensor positionBias)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1];
        Tensor Heads(Tensor y) => y.view(batch, length, _heads, _headDim).transpose(1, 2);
        var scores = Heads(q.call(x)).matmul(Heads(k.call(x)).transpose(3, 2)).add(positionBias, T5Scalars.One);
        var weights = F.softmax(scores.to(ScalarType.Float32), -1).to(scores.dtype);
        var attended = weights.matmul(Heads(v.call(x))).transpose(1, 2).contiguous().view(batch, length, (long)_heads * _headDim);
        return o.call(attended).MoveToOuterDisposeScope();
    }
}
