using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// ml-mdm's <c>SelfAttention1DBlock</c> (the optional <c>lm_head</c> layers over the text): pre-norm multi-head
/// self-attention with a zero-initialised output projection and residual, then a 4× MLP with residual.
/// </summary>
internal sealed class TextSelfAttentionBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly TextSelfAttention attn;
    private readonly TextMlp mlp;

    public TextSelfAttentionBlock(Layers layers, int channels, string field) : base(nameof(TextSelfAttentionBlock))
    {
        attn = new TextSelfAttention(layers, channels, field);
        mlp = new TextMlp(layers, channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor text, Tensor? keep) => mlp.forward(attn.forward(text, keep));

    private sealed class TextSelfAttention : nn.Module<Tensor, Tensor?, Tensor>
    {
        private const int Heads = 8;
        private readonly LayerNorm norm;
        private readonly Linear qkv;
        private readonly Linear proj_out;

        public TextSelfAttention(Layers layers, int channels, string field) : base(nameof(TextSelfAttention))
        {
            if (channels % Heads != 0)
                throw new ModelConfigurationException(field, $"text self-attention on width {channels}: the width must divide into {Heads} heads");
            norm = layers.LayerNorm(channels);
            qkv = layers.Linear(channels, 3L * channels);
            proj_out = layers.Linear(channels, channels, zero: true);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, Tensor? keep)
        {
            using var scope = NewDisposeScope();
            long b = x.shape[0], t = x.shape[1], c = x.shape[2];
            var parts = qkv.call(norm.call(x)).chunk(3, dim: -1);
            Tensor Heads4(Tensor y) => y.reshape(b, t, Heads, c / Heads).transpose(1, 2);
            var mask = keep is null ? null : (keep != 0).view(b, 1, 1, t);
            var h = ScaledDotProductAttention.Compute(Heads4(parts[0]), Heads4(parts[1]), Heads4(parts[2]), mask);
            var merged = h.transpose(1, 2).reshape(b, t, c);
            return (x + proj_out.call(merged)).MoveToOuterDisposeScope();
        }
    }

    private sealed class TextMlp : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential main;

        public TextMlp(Layers layers, int channels) : base(nameof(TextMlp))
        {
            main = nn.Sequential(layers.LayerNorm(channels), layers.Linear(channels, 4L * channels), nn.GELU(), layers.Linear(4L * channels, channels, zero: true));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => x + main.call(x);
    }
}
