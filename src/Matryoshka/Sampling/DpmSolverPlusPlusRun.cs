using Matryoshka.Diffusion;
using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// One generation of <see cref="DpmSolverPlusPlusSampler"/>: per level, the previous step's thresholded x₀ estimate
/// and its λ. Steps must come in order, 0, 1, …; the held tensors are freed after the last step or on dispose.
/// </summary>
internal sealed class DpmSolverPlusPlusRun : ISamplerRun, IDisposable
{
    private readonly int _order;
    private readonly SamplingPlan _plan;
    private readonly Tensor?[] _previousSample;
    private readonly double[] _previousLambda;
    private int _nextIndex;

    public DpmSolverPlusPlusRun(int order, SamplingPlan plan)
    {
        _order = order;
        _plan = plan;
        _previousSample = new Tensor?[plan.Schedule.LevelCount];
        _previousLambda = new double[plan.Schedule.LevelCount];
    }

    public SamplerStepResult Step(int index, IReadOnlyList<Tensor> noisy, IReadOnlyList<Tensor> prediction, INoiseSource noise)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        ArgumentNullException.ThrowIfNull(prediction);
        if (index != _nextIndex)
            throw new InvalidOperationException($"DPM-Solver++ steps in order; expected step {_nextIndex} of {_plan.StepCount}, got {index}.");
        if (noisy.Count != _plan.Schedule.LevelCount || prediction.Count != noisy.Count)
            throw new ArgumentException($"Expected {_plan.Schedule.LevelCount} levels; got {noisy.Count} inputs and {prediction.Count} predictions.");

        bool last = index == _plan.StepCount - 1;
        // diffusers: first order until enough history exists, and at the final step (final_sigmas_type "zero").
        bool secondOrder = _order >= 2 && index >= 1 && !last;
        long s = _plan.Timesteps[index], t = _plan.Timesteps[index + 1];

        var next = new Tensor[noisy.Count];
        var samples = new Tensor[noisy.Count];
        for (int level = 0; level < noisy.Count; level++)
        {
            using var scope = NewDisposeScope();
            var xs = noisy[level];
            var schedule = _plan.Schedule.Level(level);
            double alphaBarS = schedule[(int)s], alphaBarT = schedule[(int)t];
            var g = full(new long[] { xs.shape[0], 1, 1, 1 }, (float)alphaBarS, dtype: ScalarType.Float32, device: xs.device).to(xs.dtype);
            var x0 = _plan.Thresholding.Apply(Parameterization.ToSample(_plan.Prediction, xs, prediction[level], g), _plan.Schedule.SignalScales[level]);

            double lambdaS = LogSnrHalf(alphaBarS);
            var xt = secondOrder
                ? SecondOrder(xs, x0, _previousSample[level]!, alphaBarS, alphaBarT, _previousLambda[level], lambdaS)
                : FirstOrder(xs, x0, alphaBarS, alphaBarT);

            Remember(level, last ? null : x0, lambdaS);
            next[level] = xt.MoveToOuterDisposeScope();
            samples[level] = x0.MoveToOuterDisposeScope();
        }
        _nextIndex++;
        return new SamplerStepResult(next, samples);
    }

    public void Dispose()
    {
        for (int level = 0; level < _previousSample.Length; level++) Remember(level, null, 0);
    }

    /// <summary>λ = log(α/σ) = ½·log(ᾱ/(1−ᾱ)); +∞ at the clean image.</summary>
    private static double LogSnrHalf(double alphaBar) => 0.5 * (Math.Log(alphaBar) - Math.Log(1 - alphaBar));

    // α_t(1 − e^{−h}) written as α_t − α_s·σ_t/σ_s, which stays exact at σ_t = 0 (h = +∞): the step to the clean
    // image returns x₀ itself. This is also DDIM with η = 0.
    private static Tensor FirstOrder(Tensor xs, Tensor x0, double alphaBarS, double alphaBarT)
    {
        if (alphaBarT == 1) return x0.clone();
        var (ratio, c) = Coefficients(alphaBarS, alphaBarT);
        return xs * ratio + x0 * c;
    }

    private static Tensor SecondOrder(Tensor xs, Tensor x0, Tensor previous, double alphaBarS, double alphaBarT, double lambdaPrevious, double lambdaS)
    {
        double h = LogSnrHalf(alphaBarT) - lambdaS;
        double hPrevious = lambdaS - lambdaPrevious;
        // D₁/2 = (D₀ − D₋₁)·h/(2·h₋₁). Equal float32 ᾱ at two visited indices would divide by zero: fall back to first order.
        double weight = 0.5 * h / hPrevious;
        if (!double.IsFinite(weight)) return FirstOrder(xs, x0, alphaBarS, alphaBarT);
        var (ratio, c) = Coefficients(alphaBarS, alphaBarT);
        return xs * ratio + (x0 + (x0 - previous) * weight) * c;
    }

    private static (double Ratio, double C) Coefficients(double alphaBarS, double alphaBarT)
    {
        double alphaS = Math.Sqrt(alphaBarS), sigmaS = Math.Sqrt(1 - alphaBarS);
        double alphaT = Math.Sqrt(alphaBarT), sigmaT = Math.Sqrt(1 - alphaBarT);
        double ratio = sigmaT / sigmaS;
        return (ratio, alphaT - alphaS * ratio);
    }

    private void Remember(int level, Tensor? sample, double lambda)
    {
        _previousSample[level]?.Dispose();
        // Kept across the caller's per-step dispose scopes, so detached from them.
        _previousSample[level] = sample?.clone().DetachFromDisposeScope();
        _previousLambda[level] = lambda;
    }
}
