using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// ml-mdm's <c>TemporalAttentionBlock</c> (always built with <c>down=True</c>): a stride-2 3×3 convolution halves each
/// frame, self-attention over the frames at every position (heads of 32 channels, no mask) and a 4× MLP mix the
/// frames, a nearest ×2 upsample and a 3×3 convolution restore the frame size, and the block's input is added back.
/// </summary>
internal sealed class TemporalAttentionBlock : nn.Module<Tensor, long, Tensor>
{
    /// <summary>Channels per head, fixed in ml-mdm (<c>num_head_channels=32</c>).</summary>
    public const int HeadChannels = 32;

    private readonly SelfAttention1D attn;
    private readonly Mlp mlp;
    private readonly SafeConvolution down_conv;
    private readonly SafeConvolution up_conv;

    public TemporalAttentionBlock(Layers layers, int channels, string field) : base(nameof(TemporalAttentionBlock))
    {
        attn = new SelfAttention1D(layers, channels, channels / HeadChannels, field, "temporal attention");
        mlp = new Mlp(layers, channels);
        down_conv = layers.Conv(channels, channels, 3, stride: 2);
        up_conv = layers.Conv(channels, channels, 3);
        RegisterComponents();
    }

    /// <param name="x">Frames as batch rows [B·t, C, H, W].</param>
    /// <param name="frames">t, the frames per sample.</param>
    public override Tensor forward(Tensor x, long frames)
    {
        using var scope = NewDisposeScope();
        var h = down_conv.call(x);
        long height = h.shape[2], width = h.shape[3];
        var mixed = mlp.call(attn.call(FrameLayout.FramesToTokenSequences(h, frames), null));
        h = FrameLayout.TokenSequencesToFrames(mixed, height, width);
        h = up_conv.call(F.interpolate(h, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest));
        return (h + x).MoveToOuterDisposeScope();
    }
}
