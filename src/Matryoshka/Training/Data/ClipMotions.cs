using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Training.Data;

/// <summary>
/// Synthetic clips for text-to-video training: a still image (an object on a white background) moved by a
/// <see cref="ClipMotion"/>. Frame 0 is the image itself, so a video model grown from an image model starts from
/// the picture its inner level already draws; the object then moves, shrinks or turns, and what leaves the frame is
/// replaced by white.
/// </summary>
public static class ClipMotions
{
    /// <summary>Slide of the translations over the whole clip, as a fraction of the frame side.</summary>
    public const double Travel = 0.375;

    /// <summary>Every motion, in declaration order.</summary>
    public static IReadOnlyList<ClipMotion> All { get; } = Enum.GetValues<ClipMotion>();

    /// <summary>The caption phrase of a motion, e.g. "moving right".</summary>
    public static string Phrase(ClipMotion motion) => motion switch
    {
        ClipMotion.Right => "moving right",
        ClipMotion.Left => "moving left",
        ClipMotion.Up => "moving up",
        ClipMotion.Down => "moving down",
        ClipMotion.Shrinking => "shrinking",
        ClipMotion.Spinning => "spinning",
        _ => throw new ArgumentOutOfRangeException(nameof(motion), motion, "not a motion"),
    };

    /// <summary>
    /// The direction a translation moves the object in image coordinates (x right, y down), or null for the others.
    /// </summary>
    public static (int X, int Y)? Direction(ClipMotion motion) => motion switch
    {
        ClipMotion.Right => (1, 0),
        ClipMotion.Left => (-1, 0),
        ClipMotion.Up => (0, -1),
        ClipMotion.Down => (0, 1),
        _ => null,
    };

    /// <summary>
    /// The <paramref name="frames"/> frames of <paramref name="image"/> [C, H, W] (values in [−1, 1], white = 1)
    /// under <paramref name="motion"/>, resampled bilinearly: [frames, C, H, W], a new tensor on the image's device.
    /// </summary>
    /// <exception cref="ArgumentException">The image is not [C, H, W] or fewer than 2 frames are asked for.</exception>
    public static Tensor Render(Tensor image, ClipMotion motion, int frames)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 3) throw new ArgumentException($"The image must be [C, H, W]; got [{string.Join(", ", image.shape)}].", nameof(image));
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 2);
        using var scope = NewDisposeScope();
        var theta = zeros(new long[] { frames, 2, 3 }, dtype: ScalarType.Float32);
        for (int k = 0; k < frames; k++)
        {
            double progress = k / (double)(frames - 1);
            // affine_grid maps output coordinates to input ones (both in [−1, 1]): moving the object by d samples at −d.
            var (a, b, c, d, tx, ty) = motion switch
            {
                ClipMotion.Spinning => Rotation(2 * Math.PI * k / frames),
                ClipMotion.Shrinking => (1 / (1 - 0.5 * progress), 0.0, 0.0, 1 / (1 - 0.5 * progress), 0.0, 0.0),
                _ => (1.0, 0.0, 0.0, 1.0, -2 * Travel * progress * Direction(motion)!.Value.X, -2 * Travel * progress * Direction(motion)!.Value.Y),
            };
            theta[k] = tensor(new float[,] { { (float)a, (float)b, (float)tx }, { (float)c, (float)d, (float)ty } });
        }
        theta = theta.to(image.device);
        var inverted = (1 - image.to(ScalarType.Float32)).unsqueeze(0).expand(frames, -1, -1, -1);   // white → 0, so padding is white
        var grid = F.affine_grid(theta, new long[] { frames, image.shape[0], image.shape[1], image.shape[2] }, align_corners: false);
        var moved = F.grid_sample(inverted, grid, mode: GridSampleMode.Bilinear, padding_mode: GridSamplePaddingMode.Zeros, align_corners: false);
        return (1 - moved).to(image.dtype).MoveToOuterDisposeScope();
    }

    // Clockwise on screen (y down) by `angle`: the output samples the input rotated back.
    private static (double, double, double, double, double, double) Rotation(double angle) =>
        (Math.Cos(angle), Math.Sin(angle), -Math.Sin(angle), Math.Cos(angle), 0, 0);
}
