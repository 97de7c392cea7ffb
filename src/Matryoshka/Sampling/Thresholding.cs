using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// What a sampler does to its estimate of x₀ before stepping (ml-mdm <c>threshold_function</c>): nothing, clip to
/// [−1, 1], or dynamic thresholding (Imagen): s = clamp(quantile(|x₀|, q), 1, max) per sample, then clamp to [−s, s]
/// and divide by s. Immutable.
/// </summary>
public sealed record Thresholding
{
    private Thresholding(ThresholdingKind kind, double quantile, double maxValue)
    {
        Kind = kind;
        Quantile = quantile;
        MaxValue = maxValue;
    }

    /// <summary>No thresholding (ml-mdm <c>NONE</c>).</summary>
    public static Thresholding None { get; } = new(ThresholdingKind.None, 0, 0);

    /// <summary>Clamp to [−1, 1] (ml-mdm <c>CLIP</c>, its default).</summary>
    public static Thresholding Clip { get; } = new(ThresholdingKind.Clip, 0, 0);

    /// <summary>Imagen's dynamic thresholding, quantile 0.995, s ≤ 100 (ml-mdm <c>DYNAMIC</c>).</summary>
    public static Thresholding Dynamic { get; } = new(ThresholdingKind.Dynamic, 0.995, 100);

    /// <summary>DeepFloyd IF's variant, quantile 0.95, s ≤ 1.5 (ml-mdm <c>DYNAMIC_IF</c>).</summary>
    public static Thresholding DeepFloyd { get; } = new(ThresholdingKind.Dynamic, 0.95, 1.5);

    /// <summary>Dynamic thresholding with a custom quantile in (0, 1] and maximum s ≥ 1.</summary>
    public static Thresholding DynamicWith(double quantile, double maxValue)
    {
        if (!(quantile > 0 && quantile <= 1)) throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "The quantile must be in (0, 1].");
        if (!(maxValue >= 1) || double.IsInfinity(maxValue)) throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "The maximum threshold must be a finite number ≥ 1.");
        return new(ThresholdingKind.Dynamic, quantile, maxValue);
    }

    /// <summary>The kind of thresholding.</summary>
    public ThresholdingKind Kind { get; }

    /// <summary>For dynamic thresholding: the quantile of |x₀| that sets s.</summary>
    public double Quantile { get; }

    /// <summary>For dynamic thresholding: the largest s.</summary>
    public double MaxValue { get; }

    /// <summary>
    /// Applies the thresholding to the x₀ of a level whose signal is divided by <paramref name="signalScale"/> c
    /// (<see cref="Schedules.MultiResolutionSchedule.SignalScales"/>): to c·x₀, divided by c again (ml-mdm
    /// <c>clip_sample(x0, image_scale)</c>), so the image c·x₀ is what ends up in [−1, 1]. None leaves x₀ as it is.
    /// </summary>
    public Tensor Apply(Tensor x0, double signalScale)
    {
        ArgumentNullException.ThrowIfNull(x0);
        if (signalScale == 1 || Kind == ThresholdingKind.None) return Apply(x0);
        using var scope = NewDisposeScope();
        return (Apply(x0 * signalScale) / signalScale).MoveToOuterDisposeScope();
    }

    /// <summary>Applies the thresholding to x₀ [B, …], per sample; returns a new tensor.</summary>
    public Tensor Apply(Tensor x0)
    {
        ArgumentNullException.ThrowIfNull(x0);
        switch (Kind)
        {
            case ThresholdingKind.None:
                return x0.clone();
            case ThresholdingKind.Clip:
                return x0.clamp(-1, 1);
            default:
                using (var scope = NewDisposeScope())
                {
                    // Quantiles in float32 at least (ml-mdm upcasts; torch.quantile has no reduced-precision kernel).
                    var dtype = x0.dtype;
                    var flat = (dtype is ScalarType.Float32 or ScalarType.Float64 ? x0 : x0.to(ScalarType.Float32)).reshape(x0.shape[0], -1);
                    // TorchSharp's double overload passes q as float64, which libtorch refuses for float32 input.
                    var q = tensor(Quantile, dtype: flat.dtype, device: flat.device);
                    var s = flat.abs().quantile(q, dim: 1).clamp(1, MaxValue).unsqueeze(1);
                    var result = (flat.clamp(-s, s) / s).reshape(x0.shape).to(dtype);
                    return result.MoveToOuterDisposeScope();
                }
        }
    }
}

/// <summary>The kinds of <see cref="Thresholding"/>.</summary>
public enum ThresholdingKind
{
    /// <summary>x₀ used as predicted.</summary>
    None,
    /// <summary>x₀ clamped to [−1, 1].</summary>
    Clip,
    /// <summary>x₀ scaled into [−1, 1] by a per-sample quantile.</summary>
    Dynamic,
}
