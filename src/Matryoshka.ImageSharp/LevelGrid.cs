using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.ImageSharp;

/// <summary>
/// A contact sheet of a multi-resolution result: one row per sample, one column per level (high → low),
/// every level enlarged by nearest-neighbour pixel repetition to the highest level's size.
/// </summary>
public static class LevelGrid
{
    /// <summary>
    /// Composes the grid of <paramref name="levels"/>, each [B, C, h, w] (or [C, h, w] for one sample) with
    /// values in [−1, 1], level 0 the largest. Every level's sides must divide level 0's sides.
    /// <paramref name="spacing"/> pixels of gray <paramref name="background"/> separate the cells.
    /// </summary>
    /// <exception cref="ImageTensorException">No levels, mismatched batch sizes, sides that do not divide, or a bad level tensor.</exception>
    public static Image<Rgb24> Compose(IReadOnlyList<Tensor> levels, PixelConvention convention = PixelConvention.MlMdm,
        int spacing = 0, byte background = 255)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentOutOfRangeException.ThrowIfNegative(spacing);
        if (levels.Count == 0)
            throw new ImageTensorException("A level grid needs at least one level.");

        using var scope = NewDisposeScope();
        var cells = new Tensor[levels.Count];
        for (int l = 0; l < levels.Count; l++)
            cells[l] = PixelQuantizer.ToBytes(levels[l], convention, $"level {l} tensor");

        long batch = cells[0].shape[0], height = cells[0].shape[2], width = cells[0].shape[3];
        long gridHeight = batch * height + (batch - 1) * spacing;
        long gridWidth = levels.Count * width + (levels.Count - 1) * spacing;
        if (gridHeight > int.MaxValue || gridWidth > int.MaxValue)
            throw new ImageTensorException($"The grid would be {gridWidth}×{gridHeight} pixels, too large for an image.");

        var canvas = torch.full(new long[] { 3, gridHeight, gridWidth }, background, ScalarType.Byte, CPU);
        for (int l = 0; l < cells.Length; l++)
        {
            var enlarged = Enlarge(cells[l], l, batch, height, width);
            long left = l * (width + spacing);
            for (long b = 0; b < batch; b++)
            {
                long top = b * (height + spacing);
                canvas[.., (int)top..(int)(top + height), (int)left..(int)(left + width)] = enlarged[b];
            }
        }
        return TensorImages.FromChwBytes(canvas);
    }

    /// <summary>Level <paramref name="level"/>'s bytes repeated up to the top level's size (nearest neighbour).</summary>
    private static Tensor Enlarge(Tensor cell, int level, long batch, long height, long width)
    {
        if (cell.shape[0] != batch)
            throw new ImageTensorException($"Level {level} holds {cell.shape[0]} samples but level 0 holds {batch}.");
        long h = cell.shape[2], w = cell.shape[3];
        if (height % h != 0 || width % w != 0 || height / h != width / w)
            throw new ImageTensorException(
                $"Level {level} is {w}×{h}, which is not level 0's {width}×{height} divided by one integer factor.");
        long factor = height / h;
        return factor == 1 ? cell : cell.repeat_interleave(factor, dim: 2).repeat_interleave(factor, dim: 3);
    }
}
