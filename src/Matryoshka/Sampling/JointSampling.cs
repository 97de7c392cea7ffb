using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>What a sampling loop reports after each step; tensors are valid only during the callback.</summary>
/// <param name="Index">Step number, from 0.</param>
/// <param name="StepCount">Total number of steps.</param>
/// <param name="Timestep">The index stepped from.</param>
/// <param name="Noisy">x at the next timestep, every level (divided by the level's signal scale, as the sampler holds it).</param>
/// <param name="Sample">The x₀ estimate of every level at this step, as an image (a preview).</param>
public sealed record SamplingProgress(int Index, int StepCount, long Timestep, IReadOnlyList<Tensor> Noisy, IReadOnlyList<Tensor> Sample);

/// <summary>
/// MDM's joint sampling: every level starts from its own noise and all are denoised together, one network call per
/// step, each level updated with its own shifted schedule; the result of every level (multiplied back by its signal
/// scale) is clamped to [−1, 1]. Runs
/// synchronously on the calling thread, one dispose scope per step, so memory stays flat; call it inside
/// <c>torch.inference_mode()</c>.
/// </summary>
public static class JointSampling
{
    /// <summary>Samples every level; returns the final images, high → low (level 0 is the output image).</summary>
    /// <param name="denoiser">The (guided) network.</param>
    /// <param name="sampler">The step rule.</param>
    /// <param name="plan">Schedules, timesteps, prediction type, thresholding.</param>
    /// <param name="shapes">Shape of every level, [B, C, R, R], high → low.</param>
    /// <param name="dtype">Working dtype.</param>
    /// <param name="device">Working device.</param>
    /// <param name="noise">Initial and step noise.</param>
    /// <param name="progress">Called after every step.</param>
    /// <param name="cancellationToken">Checked before every step; cancellation throws <see cref="OperationCanceledException"/>.</param>
    public static Tensor[] Run(Denoiser denoiser, ISampler sampler, SamplingPlan plan, IReadOnlyList<long[]> shapes,
        ScalarType dtype, Device device, INoiseSource noise, Action<SamplingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentNullException.ThrowIfNull(noise);
        if (shapes.Count != plan.Schedule.LevelCount)
            throw new ArgumentException($"The schedule has {plan.Schedule.LevelCount} levels but {shapes.Count} shapes were given.", nameof(shapes));

        var run = sampler.Start(plan);
        var x = new Tensor[shapes.Count];
        for (int level = 0; level < shapes.Count; level++)
        {
            using var like = empty(shapes[level], dtype: dtype, device: device);
            x[level] = noise.Initial(level, like);
        }

        try
        {
            for (int i = 0; i < plan.StepCount; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long t = plan.Timesteps[i];
                var networkTimesteps = full(new[] { shapes[^1][0] }, t - 1, dtype: ScalarType.Int64, device: device);
                var prediction = denoiser(x, networkTimesteps);
                var result = run.Step(i, x, prediction, noise);
                progress?.Invoke(new SamplingProgress(i, plan.StepCount, t, result.Next, AsImages(result.Sample, plan)));
                foreach (var old in x) old.Dispose();
                x = result.Next.Select(n => n.MoveToOuterDisposeScope()).ToArray();
            }
            // ml-mdm _postprocess: x·image_scale, then clip.
            using var final = NewDisposeScope();
            return AsImages(x, plan).Select(level => level.clamp(-1, 1).MoveToOuterDisposeScope()).ToArray();
        }
        finally
        {
            foreach (var level in x) level.Dispose();
            // Multistep samplers hold tensors between steps; free them even when the run stops early.
            (run as IDisposable)?.Dispose();
        }
    }

    // A level that divides its signal by c holds images divided by c.
    private static IReadOnlyList<Tensor> AsImages(IReadOnlyList<Tensor> levels, SamplingPlan plan) =>
        levels.Select((x, l) => plan.Schedule.SignalScales[l] == 1 ? x : x * plan.Schedule.SignalScales[l]).ToArray();
}
