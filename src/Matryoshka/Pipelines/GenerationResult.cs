using static TorchSharp.torch;

namespace Matryoshka.Pipelines;

/// <summary>
/// The images of one generation: every level, high → low, as float32 CPU tensors [B, C, R, R] in [−1, 1]. The
/// result owns them; dispose it when done.
/// </summary>
public sealed class GenerationResult : IDisposable
{
    internal GenerationResult(IReadOnlyList<Tensor> levels, ulong? seed, int steps, TimeSpan elapsed, PixelConvention pixels)
    {
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
    internal GenerationPreview(int step, int total, IReadOnlyList<Tensor> estimates)
    {
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

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var estimate in Estimates) estimate.Dispose();
    }
}
