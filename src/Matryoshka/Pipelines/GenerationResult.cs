using static TorchSharp.torch;

namespace Matryoshka.Pipelines;

/// <summary>
/// The images of one generation: every level, high → low, as float32 CPU tensors [B, C, R, R] in [−1, 1]. The
/// result owns them; dispose it when done. A video model's level 0 is a grid of frames per sample: see
/// <see cref="IsVideo"/> and <see cref="Clip"/>.
/// </summary>
public sealed class GenerationResult : IDisposable
{
    internal GenerationResult(IReadOnlyList<Tensor> levels, ulong? seed, int steps, TimeSpan elapsed, PixelConvention pixels, int frameGrid = 1)
    {
        FrameGrid = frameGrid;
        Pixels = pixels;
        Levels = levels;
        Seed = seed;
        Steps = steps;
        Elapsed = elapsed;
    }

    /// <summary>The output images (level 0).</summary>
    public Tensor Images => Levels[0];

    /// <summary>Every level's images, high → low.</summary>
    public IReadOnlyList<Tensor> Levels { get; }

    /// <summary>The seed used (null when the request supplied its own noise).</summary>
    public ulong? Seed { get; }

    /// <summary>Number of sampling steps taken.</summary>
    public int Steps { get; }

    /// <summary>How these values map to pixel bytes (the model's convention); saving a result uses it.</summary>
    public PixelConvention Pixels { get; }

    /// <summary>Wall time of the denoising loop.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Frames per side of level 0's grid: S for a video model (S² frames per clip, frame k in row k / S, column k % S), 1 for images.</summary>
    public int FrameGrid { get; }

    /// <summary>Whether the model made clips: level 0 of each sample is a grid of <see cref="FrameCount"/> frames.</summary>
    public bool IsVideo => FrameGrid > 1;

    /// <summary>Frames per clip (S²); 1 for images.</summary>
    public int FrameCount => FrameGrid * FrameGrid;

    /// <summary>
    /// The frames of clip <paramref name="index"/> in time order, [<see cref="FrameCount"/>, C, h, w], as a new tensor
    /// the caller owns (for an image model, the image as one frame).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a sample of the result.</exception>
    public Tensor Clip(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, (int)Images.shape[0]);
        return Clips.Of(Images[index], FrameGrid);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var level in Levels) level.Dispose();
    }
}

/// <summary>Progress of a generation after a step.</summary>
/// <param name="Step">Steps done (1 … Total).</param>
/// <param name="Total">Steps in all.</param>
/// <param name="Elapsed">Time since the loop started.</param>
public sealed record GenerationProgress(int Step, int Total, TimeSpan Elapsed);

/// <summary>
/// A preview streamed after each step: the current x₀ estimate of every level (float32 CPU copies, high → low).
/// The consumer owns the tensors; dispose the preview when done.
/// </summary>
public sealed class GenerationPreview : IDisposable
{
    internal GenerationPreview(int step, int total, IReadOnlyList<Tensor> estimates, int frameGrid = 1)
    {
        FrameGrid = frameGrid;
        Step = step;
        Total = total;
        Estimates = estimates;
    }

    /// <summary>Steps done (1 … Total).</summary>
    public int Step { get; }

    /// <summary>Steps in all.</summary>
    public int Total { get; }

    /// <summary>x₀ estimate of every level, high → low.</summary>
    public IReadOnlyList<Tensor> Estimates { get; }

    /// <summary>Frames per side of level 0's grid (see <see cref="GenerationResult.FrameGrid"/>); split a clip with <see cref="Clips.Of"/>.</summary>
    public int FrameGrid { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var estimate in Estimates) estimate.Dispose();
    }
}
