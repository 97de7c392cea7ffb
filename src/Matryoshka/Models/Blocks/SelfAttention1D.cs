using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// ml-mdm's <c>SelfAttention1D</c> over a sequence [B, L, C]: pre-LayerNorm multi-head self-attention with heads
/// owning contiguous channel blocks, a zero-initialised output projection and a residual. Used over text tokens
/// (8 heads) and, in a temporal level, over the frames at one position (heads of 32 channels).
/// </summary>
internal sealed class SelfAttention1D : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear qkv;
    private readonly Linear proj_out;
    private readonly int _heads;

    public SelfAttention1D(Layers layers, int channels, int heads, string field, string what) : base(nameof(SelfAttention1D))
    {
        if (heads <= 0 || channels % heads != 0)
            throw new ModelConfigurationException(field, $"{what} on width {channels}: the width must divide into {heads} heads");
        norm = layers.LayerNorm(channels);
        qkv = layers.Linear(channels, 3L * channels);
        proj_out = layers.Linear(channels, channels, zero: true);
        _heads = heads;
        RegisterComponents();
    }

    /// <param name="x">[B, L, C]</param>
    /// <param name="keep">[B, L] (nonzero = attend) or null to attend to every position.</param>
    public override Tensor forward(Tensor x, Tensor? keep)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        var parts = qkv.call(norm.call(x)).chunk(3, dim: -1);
        Tensor Split(Tensor y) => y.reshape(b, t, _heads, c / _heads).transpose(1, 2);
        var mask = keep is null ? null : (keep != 0).view(b, 1, 1, t);
        var h = ScaledDotProductAttention.Compute(Split(parts[0]), Split(parts[1]), Split(parts[2]), mask);
        var merged = h.transpose(1, 2).reshape(b, t, c);
        return (x + proj_out.call(merged)).MoveToOuterDisposeScope();
    }
}
