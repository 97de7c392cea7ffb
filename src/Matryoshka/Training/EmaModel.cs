using Matryoshka.IO.Weights;
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
    private NestedUNet? _pairedModel;
    private (Tensor Average, Tensor Live, bool Inner)[] _pairs = [];

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
    public void Update(NestedUNet model, double decay) => Update(model, decay, decay);

    /// <summary>
    /// Folds the model's weights in with <paramref name="decay"/> for the outer level and <paramref name="innerDecay"/>
    /// for the wrapped level's entries (<c>inner_unet.*</c>): after growing, the new level's average can warm up while
    /// the inner level's keeps averaging at the full decay.
    /// </summary>
    public void Update(NestedUNet model, double decay, double innerDecay)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (decay is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The EMA decay must be in [0, 1].");
        if (innerDecay is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(innerDecay), innerDecay, "The EMA decay must be in [0, 1].");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // ema + (1 − d)·(w − ema) = d·ema + (1 − d)·w in one kernel per tensor (PyTorch's own EMA helpers use lerp too);
        // the weight is a 0-d tensor because TorchSharp 0.107 does not implement lerp_ with a Scalar weight.
        var weights = new Dictionary<(double, ScalarType, DeviceType, int), Tensor>();
        foreach (var (average, live, inner) in PairsFor(model))
        {
            if (!average.is_floating_point())
            {
                average.copy_(live);
                continue;
            }
            double d = inner ? innerDecay : decay;
            var key = (d, average.dtype, average.device.type, average.device.index);
            if (!weights.TryGetValue(key, out var weight)) weights[key] = weight = tensor(1 - d, dtype: average.dtype, device: average.device);
            average.lerp_(live, weight);
        }
    }

    // The (average, live tensor) pairs of the model last updated from, built once: walking state_dict() and detaching
    // every entry on every step cost more than the averaging itself (docs/performance.md, optimisation 2). The live
    // tensors are aliases of the model's own storage, which training and checkpoint restores update in place.
    private (Tensor Average, Tensor Live, bool Inner)[] PairsFor(NestedUNet model)
    {
        if (ReferenceEquals(model, _pairedModel)) return _pairs;
        DisposePairs();
        _pairs = model.state_dict()
            .Select(p => (_weights[p.Key], p.Value.detach().DetachFromDisposeScope(), p.Key.StartsWith(ModelGrowth.InnerPrefix, StringComparison.Ordinal)))
            .ToArray();
        _pairedModel = model;
        return _pairs;
    }

    private void DisposePairs()
    {
        foreach (var (_, live, _) in _pairs) live.Dispose();
        _pairs = [];
        _pairedModel = null;
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
        DisposePairs();
        foreach (var tensor in _weights.Values) tensor.Dispose();
        _weights.Clear();
    }
}
