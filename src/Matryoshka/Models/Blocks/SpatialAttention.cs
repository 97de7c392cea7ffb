using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// ml-mdm's <c>SelfAttention</c> on a feature map: 8 heads over contiguous channel blocks; self-attention over the
/// H·W positions plus, when a text width is given, a separate cross-attention to the text sharing the same queries
/// (own softmax; the two results are summed); a zero-initialised output projection and residual; optionally a
/// 4× feed-forward with its own residual.
/// </summary>
internal sealed class SpatialAttention : nn.Module<Tensor, Tensor?, Tensor?, Tensor>
{
    private const int Heads = 8;
    private const int NormGroups = 32; // ml-mdm hard-codes 32 groups here, whatever the level's num_groups_norm.

    private readonly GroupNorm norm;
    private readonly SafeConvolution qkv;
    private readonly LayerNorm? norm_cond;
    private readonly Linear? kv_cond;
    private readonly SafeConvolution proj_out;
    private readonly Sequential? ffn;

    public SpatialAttention(Layers layers, int channels, int conditioningDim, bool useFfn, string field) : base(nameof(SpatialAttention))
    {
        if (channels % Heads != 0)
            throw new ModelConfigurationException(field, $"attention on {channels} channels: the channels must divide into {Heads} heads");
        if (channels % NormGroups != 0)
            throw new ModelConfigurationException(field, $"attention on {channels} channels: its GroupNorm has {NormGroups} groups (fixed in ml-mdm), which must divide the channels");
        norm = layers.GroupNorm(NormGroups, channels, field);
        qkv = layers.Conv(channels, 3L * channels, 1);
        if (conditioningDim > 0)
        {
            norm_cond = layers.LayerNorm(conditioningDim);
            kv_cond = layers.Linear(conditioningDim, 2L * channels);
        }
        proj_out = layers.Conv(channels, channels, 1, zero: true);
        if (useFfn)
        {
            ffn = nn.Sequential(
                layers.GroupNorm(NormGroups, channels, field),
                layers.Conv(channels, 4L * channels, 1),
                nn.GELU(),
                layers.Conv(4L * channels, channels, 1, zero: true));
        }
        RegisterComponents();
    }

    /// <param name="x">[B, C, H, W]</param>
    /// <param name="text">[B, T, D] text features, or null for self-attention only.</param>
    /// <param name="textKeep">[B, T] mask (nonzero = attend), or null to attend to every token.</param>
    public override Tensor forward(Tensor x, Tensor? text, Tensor? textKeep)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1];
        var chunks = qkv.call(norm.call(x)).reshape(b, 3 * c, -1).chunk(3, dim: 1);
        var q = ScaledDotProductAttention.SplitChannelHeads(chunks[0], Heads);
        var h = ScaledDotProductAttention.Compute(q,
            ScaledDotProductAttention.SplitChannelHeads(chunks[1], Heads),
            ScaledDotProductAttention.SplitChannelHeads(chunks[2], Heads));

        if (kv_cond is not null && norm_cond is not null)
        {
            if (text is null) throw new ArgumentNullException(nameof(text), "This attention block cross-attends to text; text features are required.");
            var kv = kv_cond.call(norm_cond.call(text)).transpose(-2, -1).chunk(2, dim: 1);
            Tensor? keep = textKeep is null ? null : (textKeep != 0).view(b, 1, 1, -1);
            h = h + ScaledDotProductAttention.Compute(q,
                ScaledDotProductAttention.SplitChannelHeads(kv[0], Heads),
                ScaledDotProductAttention.SplitChannelHeads(kv[1], Heads), keep);
        }

        var output = x + proj_out.call(ScaledDotProductAttention.MergeChannelHeads(h).reshape(x.shape));
        if (ffn is not null) output = ffn.call(output) + output;
        return output.MoveToOuterDisposeScope();
    }
}
