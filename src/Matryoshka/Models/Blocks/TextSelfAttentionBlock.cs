using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// ml-mdm's <c>SelfAttention1DBlock</c> (the optional <c>lm_head</c> layers over the text): 8-head self-attention,
/// then a 4× MLP, each with its residual.
/// </summary>
internal sealed class TextSelfAttentionBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    private const int Heads = 8;
    private readonly SelfAttention1D attn;
    private readonly Mlp mlp;

    public TextSelfAttentionBlock(Layers layers, int channels, string field) : base(nameof(TextSelfAttentionBlock))
    {
        attn = new SelfAttention1D(layers, channels, Heads, field, "text self-attention");
        mlp = new Mlp(layers, channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor text, Tensor? keep) => mlp.call(attn.call(text, keep));
}
