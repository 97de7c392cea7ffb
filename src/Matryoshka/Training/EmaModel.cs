using Matryoshka.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Training;

/// <summary>
/// An exponential moving average of every entry of a model's state dict (parameters and buffers, as ml-mdm's
/// <c>model_ema.py</c>), kept as detached tensors on the model's device. Sampling and checkpoints use these weights.
/// </summary>
public sealed class EmaModel : IDisposable
{
    private readonly Dictionary<string, Tensor> _weights;

    /// <summary>Starts the average as an exact copy of <paramref name="model"/>'s current weights.</summary>
    public EmaModel(NestedUNet model, double decay)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (decay is < 0 or > 1) throw new TrainerOptionsException($"EMA decay must be in [0, 1]; got {decay}.");
        Decay = decay;
        using var noGrad = no_grad();
        _weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>The decay d of <c>ema = d·ema + (1 − d)·w</c>.</summary>
    public double Decay { get; }

    /// <summary>The averaged tensors by state-dict key (owned by this object; do not dispose).</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _weights;

    /// <summary>Folds the model's current weights into the average; integer buffers are copied, not averaged.</summary>
    public void Update(NestedUNet model) => Update(model, Decay);

    /// <summary>Folds the model's weights in with an explicit <paramref name="decay"/> (EMA warm-up).</summary>
    public void Update(NestedUNet model, double decay)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (decay is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The EMA decay must be in [0, 1].");
        // Explicit scalars for the per-tensor loop (see AdamWOptimizer.Step).
        using var decayScalar = decay.ToScalar();
        using var rest = (1 - decay).ToScalar();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (key, value) in model.state_dict())
        {
            var ema = _weights[key];
            if (ema.is_floating_point()) ema.mul_(decayScalar).add_(value.detach(), alpha: rest);
            else ema.copy_(value);
        }
    }

    /// <summary>
    /// After growing: takes over <paramref name="smaller"/>'s averages for the entries the grown model took from the
    /// smaller one (its keys with <paramref name="prefix"/>), so the inner level's average is not restarted.
    /// </summary>
    public void CarryFrom(EmaModel smaller, string prefix = ModelGrowth.InnerPrefix)
    {
        ArgumentNullException.ThrowIfNull(smaller);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (key, value) in smaller._weights)
            if (_weights.TryGetValue(prefix + key, out var target) && target.shape.SequenceEqual(value.shape)) target.copy_(value);
    }

    /// <summary>Copies the averaged weights into <paramref name="model"/> (same architecture), e.g. for sampling.</summary>
    public void CopyTo(NestedUNet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        ModelWeights.Load(model, _weights);
    }

    /// <summary>Frees the averaged tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in _weights.Values) tensor.Dispose();
        _weights.Clear();
    }
}
