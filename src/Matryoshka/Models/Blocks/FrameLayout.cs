using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// The layouts ml-mdm's temporal (video) path moves a clip between (its einops patterns, as reshapes and permutes):
/// a grid image [B, C, n·h, n·w] whose frame k is the cell in row k / n, column k % n; frames as batch rows
/// [B·n², C, h, w], sample-major (row b·n² + k); and time sequences per position, [B·h·w, C, t] or [B·h·w, t, C].
/// </summary>
internal static class FrameLayout
{
    /// <summary><c>b c (n h) (m w) -> (b n m) c h w</c> with n = m = <paramref name="grid"/>.</summary>
    public static Tensor GridToFrames(Tensor x, long grid)
    {
        if (grid == 1) return x;
        long b = x.shape[0], c = x.shape[1], h = x.shape[2] / grid, w = x.shape[3] / grid;
        return x.reshape(b, c, grid, h, grid, w).permute(0, 2, 4, 1, 3, 5).reshape(b * grid * grid, c, h, w);
    }

    /// <summary><c>(b n m) c h w -> b c (n h) (m w)</c> with n = m = <paramref name="grid"/>.</summary>
    public static Tensor FramesToGrid(Tensor x, long grid)
    {
        if (grid == 1) return x;
        long b = x.shape[0] / (grid * grid), c = x.shape[1], h = x.shape[2], w = x.shape[3];
        return x.reshape(b, grid, grid, c, h, w).permute(0, 3, 1, 4, 2, 5).reshape(b, c, grid * h, grid * w);
    }

    /// <summary><c>(b t) c h w -> (b h w) c t</c>: each position's frames as a sequence for a Conv1d.</summary>
    public static Tensor FramesToChannelSequences(Tensor x, long frames)
    {
        long b = x.shape[0] / frames, c = x.shape[1], h = x.shape[2], w = x.shape[3];
        return x.reshape(b, frames, c, h, w).permute(0, 3, 4, 2, 1).reshape(b * h * w, c, frames);
    }

    /// <summary><c>(b h w) c t -> (b t) c h w</c>, the inverse of <see cref="FramesToChannelSequences"/>.</summary>
    public static Tensor ChannelSequencesToFrames(Tensor x, long height, long width)
    {
        long b = x.shape[0] / (height * width), c = x.shape[1], t = x.shape[2];
        return x.reshape(b, height, width, c, t).permute(0, 4, 3, 1, 2).reshape(b * t, c, height, width);
    }

    /// <summary><c>(b t) c h w -> (b h w) t c</c>: each position's frames as a token sequence for attention (a view).</summary>
    public static Tensor FramesToTokenSequences(Tensor x, long frames) => FramesToChannelSequences(x, frames).transpose(1, 2);

    /// <summary><c>(b h w) t c -> (b t) c h w</c>, the inverse of <see cref="FramesToTokenSequences"/>.</summary>
    public static Tensor TokenSequencesToFrames(Tensor x, long height, long width) => ChannelSequencesToFrames(x.transpose(1, 2), height, width);
}
