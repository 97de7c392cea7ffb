using static TorchSharp.torch;

namespace Matryoshka.Diffusion;

/// <summary>
/// MDM's multi-resolution view of one image batch: level 0 is the image itself, each lower level the
/// area average (avg-pool) of the level above by the ratio of their sides, exactly as ml-mdm forms its
/// low-resolution training targets.
/// </summary>
public static class ImagePyramid
{
    /// <summary>
    /// Builds the pyramid of <paramref name="images"/> [B, C, H, W] (H = W = <paramref name="resolutions"/>[0])
    /// for the given level sides, high → low. Returns one new tensor per level.
    /// </summary>
    /// <exception cref="ArgumentException">The image side does not match level 0, or a level side does not divide the one above.</exception>
    public static Tensor[] Build(Tensor images, IReadOnlyList<int> resolutions)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(resolutions);
        if (images.dim() != 4)
            throw new ArgumentException($"Images must be [B, C, H, W]; got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (resolutions.Count == 0)
            throw new ArgumentException("At least one level is required.", nameof(resolutions));
        if (images.shape[2] != resolutions[0] || images.shape[3] != resolutions[0])
            throw new ArgumentException($"Images are {images.shape[2]}×{images.shape[3]} but level 0 is {resolutions[0]}×{resolutions[0]}.", nameof(images));

        var levels = new Tensor[resolutions.Count];
        levels[0] = images.clone();
        for (int l = 1; l < resolutions.Count; l++)
        {
            int previous = resolutions[l - 1], current = resolutions[l];
            if (current < 1 || current >= previous || previous % current != 0)
                throw new ArgumentException($"Level {l} side {current} must be smaller than and divide level {l - 1} side {previous}.", nameof(resolutions));
            levels[l] = nn.functional.avg_pool2d(levels[l - 1], previous / current);
        }
        return levels;
    }

    /// <summary>
    /// Builds the pyramid of a model with video levels: <paramref name="frameGrids"/>[l] is S for a level whose input is
    /// an S × S grid of frames (<c>LevelPlan.FrameGrid</c>), 1 for an image level. Below an image level a level is the
    /// area average, as in <see cref="Build(Tensor, IReadOnlyList{int})"/>; below a video level it is the T × T grid
    /// of every (S² / T²)-th frame, which the inner level models (T = the inner level's side over the innermost's;
    /// T = 1: the first frame). ml-mdm's <c>get_loss</c> takes the same frames but assumes a 4 × 4 grid whatever the
    /// model; this follows the model's own layout.
    /// </summary>
    /// <exception cref="ArgumentException">The image side does not match level 0, or the lists disagree.</exception>
    public static Tensor[] Build(Tensor images, IReadOnlyList<int> resolutions, IReadOnlyList<int> frameGrids)
    {
        ArgumentNullException.ThrowIfNull(frameGrids);
        if (frameGrids.All(g => g == 1)) return Build(images, resolutions);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(resolutions);
        if (frameGrids.Count != resolutions.Count)
            throw new ArgumentException($"{frameGrids.Count} frame grids for {resolutions.Count} levels.", nameof(frameGrids));
        if (images.dim() != 4 || images.shape[2] != resolutions[0] || images.shape[3] != resolutions[0])
            throw new ArgumentException($"Images must be [B, C, {resolutions[0]}, {resolutions[0]}]; got [{string.Join(", ", images.shape)}].", nameof(images));

        var levels = new Tensor[resolutions.Count];
        levels[0] = images.clone();
        for (int l = 1; l < levels.Length; l++)
        {
            levels[l] = frameGrids[l - 1] > 1
                ? KeyFrames(levels[l - 1], frameGrids[l - 1], resolutions[l] / resolutions[^1])
                : nn.functional.avg_pool2d(levels[l - 1], resolutions[l - 1] / resolutions[l]);
        }
        return levels;
    }

    /// <summary>The T × T grid of every (S² / T²)-th frame of an S × S grid of frames [B, C, S·h, S·w].</summary>
    public static Tensor KeyFrames(Tensor grid, int frameGrid, int keptGrid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        using var scope = NewDisposeScope();
        long b = grid.shape[0], c = grid.shape[1], h = grid.shape[2] / frameGrid, w = grid.shape[3] / frameGrid;
        long frames = (long)frameGrid * frameGrid, kept = (long)keptGrid * keptGrid;
        var clip = grid.reshape(b, c, frameGrid, h, frameGrid, w).permute(0, 2, 4, 1, 3, 5).reshape(b, frames, c, h, w);
        var chosen = clip.index_select(1, arange(0, frames, frames / kept, dtype: ScalarType.Int64, device: grid.device));
        var result = chosen.reshape(b, keptGrid, keptGrid, c, h, w).permute(0, 3, 1, 4, 2, 5).reshape(b, c, keptGrid * h, keptGrid * w);
        return result.contiguous().MoveToOuterDisposeScope();
    }
}
