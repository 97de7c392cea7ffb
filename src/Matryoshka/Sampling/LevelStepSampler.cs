using Matryoshka.Diffusion;
using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// Base of the single-step samplers (no state between steps), which update every level with the same rule and
/// that level's own shifted ᾱ. Subclasses give the rule for one level: from x_t and the thresholded x₀ at ᾱ_t to
/// x_s at ᾱ_s, drawing noise only when they need it.
/// </summary>
public abstract class LevelStepSampler : ISampler
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public ISamplerRun Start(SamplingPlan plan) => new Run(this, plan ?? throw new ArgumentNullException(nameof(plan)));

    /// <summary>
    /// One level's step. ᾱ tensors are per sample, viewed so they broadcast against x ([B, 1, 1, 1]).
    /// <paramref name="drawNoise"/> returns fresh noise shaped like x (ml-mdm draws it even where its coefficient is 0).
    /// </summary>
    protected internal abstract Tensor StepLevel(Tensor xt, Tensor x0, Tensor alphaBar, Tensor alphaBarNext, Func<Tensor> drawNoise);

    private sealed class Run : ISamplerRun
    {
        private readonly LevelStepSampler _sampler;
        private readonly SamplingPlan _plan;

        public Run(LevelStepSampler sampler, SamplingPlan plan)
        {
            _sampler = sampler;
            _plan = plan;
        }

        public SamplerStepResult Step(int index, IReadOnlyList<Tensor> noisy, IReadOnlyList<Tensor> prediction, INoiseSource noise)
        {
            if (index < 0 || index >= _plan.StepCount)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The plan has {_plan.StepCount} steps.");
            if (noisy.Count != _plan.Schedule.LevelCount || prediction.Count != noisy.Count)
                throw new ArgumentException($"Expected {_plan.Schedule.LevelCount} levels; got {noisy.Count} inputs and {prediction.Count} predictions.");

            var next = new Tensor[noisy.Count];
            var samples = new Tensor[noisy.Count];
            long t = _plan.Timesteps[index], s = _plan.Timesteps[index + 1];
            for (int level = 0; level < noisy.Count; level++)
            {
                using var scope = NewDisposeScope();
                var xt = noisy[level];
                var schedule = _plan.Schedule.Level(level);
                var g = full(new long[] { xt.shape[0], 1, 1, 1 }, schedule[(int)t], dtype: ScalarType.Float32, device: xt.device).to(xt.dtype);
                var gNext = full(new long[] { xt.shape[0], 1, 1, 1 }, schedule[(int)s], dtype: ScalarType.Float32, device: xt.device).to(xt.dtype);
                var x0 = _plan.Thresholding.Apply(Parameterization.ToSample(_plan.Prediction, xt, prediction[level], g), _plan.Schedule.SignalScales[level]);
                int l = level;
                // ml-mdm skips the draw on a step from index 1 (its coefficient would be 0 there anyway).
                Func<Tensor> drawNoise = t == 1 ? () => zeros_like(xt) : () => noise.Step(index, l, xt);
                var xs = _sampler.StepLevel(xt, x0, g, gNext, drawNoise);
                next[level] = xs.MoveToOuterDisposeScope();
                samples[level] = x0.MoveToOuterDisposeScope();
            }
            return new SamplerStepResult(next, samples);
        }
    }
}
