using static TorchSharp.torch;

namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>Absolute and relative differences between a recorded tensor and a computed one, in float64 on the host.</summary>
internal static class TensorDifference
{
    /// <summary>The largest absolute difference, and that over the recording's largest absolute value.</summary>
    public static (double MaxAbs, double Relative) Of(Tensor expected, Tensor actual)
    {
        double maxAbs = MaxAbs(expected, actual);
        using var scope = NewDisposeScope();
        double scale = expected.to(ScalarType.Float64, CPU).abs().max().item<double>();
        return (maxAbs, scale > 0 ? maxAbs / scale : maxAbs);
    }

    /// <summary>The largest absolute difference.</summary>
    public static double MaxAbs(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        return (actual.to(ScalarType.Float64, CPU) - expected.to(ScalarType.Float64, CPU)).abs().max().item<double>();
    }
}
