using Matryoshka.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Diffusion;

/// <summary>
/// One training batch taken through the forward process at every level, as ml-mdm's
/// <c>NestedDiffusion.get_loss</c> prepares it before calling the network. All lists are ordered high → low.
/// The tensors belong to the dispose scope that was current when the batch was created.
/// </summary>
/// <param name="Timesteps">The integer step t ∈ [0, N) per sample [B] (int64); this is the network's time input.</param>
/// <param name="Clean">x₀ of every level (the image pyramid).</param>
/// <param name="Signal">x₀ of every level divided by its signal scale (<see cref="MultiResolutionSchedule.SignalScales"/>): what
/// the forward process noised; the same tensors as <paramref name="Clean"/> where the scale is 1.</param>
/// <param name="Noise">The independent noise ε of every level.</param>
/// <param name="AlphaBars">Each level's ᾱ at index t + 1, per sample [B].</param>
/// <param name="PreviousAlphaBars">Each level's ᾱ at index t, per sample [B].</param>
/// <param name="Noisy">x_t of every level.</param>
/// <param name="Schedule">The schedules the batch was noised with (the loss reads its base schedule for VDM weights).</param>
public sealed record NoisedBatch(
    Tensor Timesteps,
    IReadOnlyList<Tensor> Clean,
    IReadOnlyList<Tensor> Signal,
    IReadOnlyList<Tensor> Noise,
    IReadOnlyList<Tensor> AlphaBars,
    IReadOnlyList<Tensor> PreviousAlphaBars,
    IReadOnlyList<Tensor> Noisy,
    MultiResolutionSchedule Schedule)
{
    /// <summary>
    /// Builds the pyramid of <paramref name="images"/> and noises every level at the given steps.
    /// </summary>
    /// <param name="images">Clean images [B, C, H, W] at level 0's resolution, in [−1, 1].</param>
    /// <param name="schedule">The per-level schedules (also fixes the level resolutions).</param>
    /// <param name="timesteps">Step t per sample [B], int64 in [0, N).</param>
    /// <param name="noise">ε per level (high → low), shaped like the pyramid; see <see cref="ForwardProcess.SampleNoise"/>.</param>
    public static NoisedBatch Create(Tensor images, MultiResolutionSchedule schedule, Tensor timesteps, IReadOnlyList<Tensor> noise) =>
        Create(images, schedule, timesteps, noise, frameGrids: null);

    /// <summary>
    /// Builds the pyramid of <paramref name="images"/> as a model with video levels sees it (their inner levels get key
    /// frames, <see cref="ImagePyramid.Build(Tensor, IReadOnlyList{int}, IReadOnlyList{int})"/>) and noises every level.
    /// </summary>
    /// <param name="images">Clean images (or frame grids) [B, C, H, W] at level 0's resolution, in [−1, 1].</param>
    /// <param name="schedule">The per-level schedules (also fixes the level resolutions).</param>
    /// <param name="timesteps">Step t per sample [B], int64 in [0, N).</param>
    /// <param name="noise">ε per level (high → low), shaped like the pyramid; see <see cref="ForwardProcess.SampleNoise"/>.</param>
    /// <param name="frameGrids">Each level's frame grid (<c>LevelPlan.FrameGrid</c>); null for an image model.</param>
    public static NoisedBatch Create(Tensor images, MultiResolutionSchedule schedule, Tensor timesteps, IReadOnlyList<Tensor> noise, IReadOnlyList<int>? frameGrids)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(timesteps);
        ArgumentNullException.ThrowIfNull(noise);
        if (timesteps.dim() != 1 || timesteps.shape[0] != images.shape[0])
            throw new ArgumentException($"Need one timestep per image: images batch {images.shape[0]}, timesteps shape [{string.Join(", ", timesteps.shape)}].", nameof(timesteps));
        long min = timesteps.min().item<long>(), max = timesteps.max().item<long>();
        if (min < 0 || max >= schedule.TrainSteps)
            throw new ArgumentOutOfRangeException(nameof(timesteps), $"Timesteps must be in [0, {schedule.TrainSteps}); got [{min}, {max}].");

        var clean = frameGrids is null ? ImagePyramid.Build(images, schedule.Resolutions) : ImagePyramid.Build(images, schedule.Resolutions, frameGrids);
        using var next = (timesteps + 1).DetachFromDisposeScope();
        var alphaBars = schedule.Gather(next);
        var previous = schedule.Gather(timesteps);
        // ml-mdm get_image_rescaled: images / scale_factor, only where a factor applies.
        var signal = clean.Select((x, l) => schedule.SignalScales[l] == 1 ? x : x / schedule.SignalScales[l]).ToArray();
        var noisy = ForwardProcess.AddNoise(signal, noise, alphaBars);
        return new NoisedBatch(timesteps.alias(), clean, signal, noise.ToArray(), alphaBars, previous, noisy, schedule);
    }

    /// <summary>Draws one step per sample uniformly from [0, N), on the CPU generator, then moves it to <paramref name="device"/>.</summary>
    public static Tensor SampleTimesteps(long batchSize, int trainSteps, Device device, Generator? generator = null)
    {
        var cpu = randint(0, trainSteps, new[] { batchSize }, dtype: ScalarType.Int64, device: CPU, generator: generator);
        if (device.type == DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }
}
