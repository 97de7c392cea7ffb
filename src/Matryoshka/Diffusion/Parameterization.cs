using static TorchSharp.torch;

namespace Matryoshka.Diffusion;

/// <summary>
/// Conversions between the noisy input x_t = √ᾱ·x₀ + √(1−ᾱ)·ε and the quantities a network may predict
/// (ε, v, x₀). Each formula is evaluated in the same order of operations as ml-mdm so float32 results match it
/// bit for bit. ᾱ may be a scalar, a per-sample tensor [B] (broadcast over the other dimensions) or any shape
/// that broadcasts against x_t. Works on any device and floating dtype; results are new tensors.
/// </summary>
public static class Parameterization
{
    /// <summary>x₀ from a prediction of the given type.</summary>
    public static Tensor ToSample(PredictionType type, Tensor xt, Tensor prediction, Tensor alphaBar)
    {
        using var scope = NewDisposeScope();
        var g = Broadcastable(alphaBar, xt);
        Tensor x0 = type switch
        {
            PredictionType.Epsilon => (xt - prediction * (1 - g).sqrt()) / g.sqrt(),
            PredictionType.VPrediction => xt * g.sqrt() - prediction * (1 - g).sqrt(),
            PredictionType.Sample => prediction.clone(),
            _ => throw Unknown(type),
        };
        return x0.MoveToOuterDisposeScope();
    }

    /// <summary>ε implied by x_t and an estimate of x₀: (x_t − √ᾱ·x₀) / √(1−ᾱ).</summary>
    public static Tensor EpsilonFromSample(Tensor xt, Tensor x0, Tensor alphaBar)
    {
        using var scope = NewDisposeScope();
        var g = Broadcastable(alphaBar, xt);
        return ((xt - x0 * g.sqrt()) / (1 - g).sqrt()).MoveToOuterDisposeScope();
    }

    /// <summary>x₀ and ε from a prediction of the given type (ml-mdm <c>get_x0_eps_from_pred</c>).</summary>
    public static (Tensor Sample, Tensor Epsilon) ToSampleAndEpsilon(PredictionType type, Tensor xt, Tensor prediction, Tensor alphaBar)
    {
        var x0 = ToSample(type, xt, prediction, alphaBar);
        return (x0, EpsilonFromSample(xt, x0, alphaBar));
    }

    /// <summary>
    /// The prediction of the given type that corresponds to x_t and x₀ (ml-mdm <c>get_pred_from_x0_xt</c>):
    /// ε = (x_t − √ᾱ·x₀)/√(1−ᾱ), v = (√ᾱ·x_t − x₀)/√(1−ᾱ), or x₀ itself.
    /// </summary>
    public static Tensor FromSample(PredictionType type, Tensor xt, Tensor x0, Tensor alphaBar)
    {
        using var scope = NewDisposeScope();
        var g = Broadcastable(alphaBar, xt);
        Tensor prediction = type switch
        {
            PredictionType.Epsilon => (xt - x0 * g.sqrt()) / (1 - g).sqrt(),
            PredictionType.VPrediction => (g.sqrt() * xt - x0) / (1 - g).sqrt(),
            PredictionType.Sample => x0.clone(),
            _ => throw Unknown(type),
        };
        return prediction.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The training target of the given type from the clean image and the noise that produced x_t
    /// (ml-mdm <c>get_prediction_targets</c>): ε, v = √ᾱ·ε − √(1−ᾱ)·x₀, or x₀.
    /// </summary>
    public static Tensor Target(PredictionType type, Tensor x0, Tensor noise, Tensor alphaBar)
    {
        using var scope = NewDisposeScope();
        var g = Broadcastable(alphaBar, x0);
        Tensor target = type switch
        {
            PredictionType.Epsilon => noise.clone(),
            PredictionType.VPrediction => g.sqrt() * noise - (1 - g).sqrt() * x0,
            PredictionType.Sample => x0.clone(),
            _ => throw Unknown(type),
        };
        return target.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Re-expresses a prediction of type <paramref name="from"/> as type <paramref name="to"/> through x₀, as
    /// ml-mdm's <c>get_pred_for_training</c> does (a copy when the types are equal).
    /// </summary>
    public static Tensor Convert(PredictionType from, PredictionType to, Tensor xt, Tensor prediction, Tensor alphaBar)
    {
        if (from == to) return prediction.clone();
        using var scope = NewDisposeScope();
        var x0 = ToSample(from, xt, prediction, alphaBar);
        return FromSample(to, xt, x0, alphaBar).MoveToOuterDisposeScope();
    }

    /// <summary>A per-sample ᾱ of shape [B] is viewed as [B, 1, …, 1] so it broadcasts over x's other dimensions.</summary>
    internal static Tensor Broadcastable(Tensor alphaBar, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(alphaBar);
        ArgumentNullException.ThrowIfNull(like);
        if (alphaBar.dim() == 1 && like.dim() > 1 && alphaBar.shape[0] == like.shape[0])
        {
            var shape = new long[like.dim()];
            Array.Fill(shape, 1L);
            shape[0] = alphaBar.shape[0];
            return alphaBar.view(shape);
        }
        return alphaBar.alias();
    }

    private static ArgumentOutOfRangeException Unknown(PredictionType type) =>
        new(nameof(type), type, "Unknown prediction type.");
}
