using static TorchSharp.torch;

namespace Matryoshka.Pipelines;

/// <summary>The frames of a video model's output: its level 0 holds each clip as an S × S grid of frames.</summary>
public static class Clips
{
    /// <summary>
    /// The frames of one clip, [S², C, h, w] in time order (frame k is the grid cell in row k / S, column k % S), as a
    /// new tensor; <paramref name="grid"/> is [C, S·h, S·w].
    /// </summary>
    /// <exception cref="ArgumentException">The grid is not [C, H, W] or its sides are not divisible by <paramref name="frameGrid"/>.</exception>
    public static Tensor Of(Tensor grid, int frameGrid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameGrid, 1);
        if (grid.dim() != 3 || grid.shape[1] % frameGrid != 0 || grid.shape[2] % frameGrid != 0)
            throw new ArgumentException($"A clip grid must be [C, H, W] with sides divisible by {frameGrid}; got [{string.Join(", ", grid.shape)}].", nameof(grid));
        long c = grid.shape[0], h = grid.shape[1] / frameGrid, w = grid.shape[2] / frameGrid;
        return grid.reshape(c, frameGrid, h, frameGrid, w).permute(1, 3, 0, 2, 4).reshape(frameGrid * frameGrid, c, h, w).contiguous();
    }

    /// <summary>The inverse of <see cref="Of"/>: S² frames [S², C, h, w] as one [C, S·h, S·w] grid (to train on clips or to noise them).</summary>
    /// <exception cref="ArgumentException">The frame count is not a square.</exception>
    public static Tensor ToGrid(Tensor frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        int grid = (int)Math.Round(Math.Sqrt(frames.shape[0]));
        if (frames.dim() != 4 || (long)grid * grid != frames.shape[0])
            throw new ArgumentException($"Frames must be [S², C, h, w] with a square frame count; got [{string.Join(", ", frames.shape)}].", nameof(frames));
        long c = frames.shape[1], h = frames.shape[2], w = frames.shape[3];
        return frames.reshape(grid, grid, c, h, w).permute(2, 0, 3, 1, 4).reshape(c, grid * h, grid * w).contiguous();
    }
}
