using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Training;

/// <summary>
/// AdamW (decoupled weight decay, PyTorch's update rule) whose moment tensors this class owns outright.
/// TorchSharp's own AdamW registers its moment tensors in whatever dispose scope is current when it is built, so
/// their lifetime would depend on the caller; here they live exactly as long as the trainer.
/// </summary>
internal sealed class AdamWOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly double[] _learningRateScales;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;
    private readonly Dictionary<(ScalarType, DeviceType, int), Tensor> _momentWeights = new();

    // learningRateScales: a multiplier of the learning rate per parameter (null: 1 for every one).
    public AdamWOptimizer(Parameter[] parameters, double beta1, double beta2, double epsilon, double weightDecay, double[]? learningRateScales = null)
    {
        if (learningRateScales is not null && learningRateScales.Length != parameters.Length)
            throw new ArgumentException($"{learningRateScales.Length} learning-rate scales for {parameters.Length} parameters.", nameof(learningRateScales));
        _parameters = parameters;
        _learningRateScales = learningRateScales ?? Enumerable.Repeat(1.0, parameters.Length).ToArray();
        (_beta1, _beta2, _epsilon, _weightDecay) = (beta1, beta2, epsilon, weightDecay);
        using var noGrad = no_grad();
        _firstMoments = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoments = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Updates made so far (drives the bias correction); restored from checkpoints.</summary>
    public long StepCount { get; set; }

    /// <summary>The first-moment estimates, one per parameter (owned here).</summary>
    public IReadOnlyList<Tensor> FirstMoments => _firstMoments;

    /// <summary>The second-moment estimates, one per parameter (owned here).</summary>
    public IReadOnlyList<Tensor> SecondMoments => _secondMoments;

    /// <summary>Sets every gradient to zero (keeping the tensors, so their count stays constant).</summary>
    public void ZeroGradients()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var p in _parameters) p.grad?.zero_();
    }

    /// <summary>One update with learning rate <paramref name="learningRate"/>; parameters without a gradient are left alone.</summary>
    public void Step(double learningRate)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        StepCount++;
        double correction1 = 1 - Math.Pow(_beta1, StepCount);
        double correction2 = 1 - Math.Pow(_beta2, StepCount);
        // Explicit scalars, alive until the loop ends: TorchSharp frees an implicit number's native Scalar from a
        // finalizer that can run while libtorch still reads it (docs/troubleshooting.md); this loop makes thousands
        // of such calls per step.
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var rootCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var epsilon = _epsilon.ToScalar();
        // One (decay, step size) pair per distinct scale: a parameter scaled by s gets exactly the rate s·lr.
        var rates = new Dictionary<double, (Scalar Decay, Scalar StepSize)>();
        try
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                var p = _parameters[i];
                var grad = p.grad;
                if (grad is null) continue;
                double rate = learningRate * _learningRateScales[i];
                if (!rates.TryGetValue(rate, out var scalars))
                    rates[rate] = scalars = ((1 - rate * _weightDecay).ToScalar(), (-rate / correction1).ToScalar());
                if (_weightDecay != 0) p.mul_(scalars.Decay);
                // m ← β₁m + (1 − β₁)g as one lerp (as PyTorch's AdamW does), the weight a 0-d tensor (see EmaModel.Update).
                _firstMoments[i].lerp_(grad, MomentWeight(grad));
                _secondMoments[i].mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
                var denominator = _secondMoments[i].sqrt().div_(rootCorrection2).add_(epsilon);
                p.addcdiv_(_firstMoments[i], denominator, value: scalars.StepSize);
            }
        }
        finally
        {
            foreach (var (decay, stepSize) in rates.Values)
            {
                decay.Dispose();
                stepSize.Dispose();
            }
        }
    }

    // 1 − β₁ as a 0-d tensor in the gradient's dtype and device, made once per kind.
    private Tensor MomentWeight(Tensor grad)
    {
        var key = (grad.dtype, grad.device.type, grad.device.index);
        if (!_momentWeights.TryGetValue(key, out var weight))
            _momentWeights[key] = weight = tensor(1 - _beta1, dtype: grad.dtype, device: grad.device).DetachFromDisposeScope();
        return weight;
    }

    public void Dispose()
    {
        foreach (var t in _momentWeights.Values) t.Dispose();
        foreach (var t in _firstMoments) t.Dispose();
        foreach (var t in _secondMoments) t.Dispose();
    }
}
