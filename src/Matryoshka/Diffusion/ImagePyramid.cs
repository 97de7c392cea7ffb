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
}
