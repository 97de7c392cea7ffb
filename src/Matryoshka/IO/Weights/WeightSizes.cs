using static TorchSharp.torch;

namespace Matryoshka.IO.Weights;

/// <summary>Bytes per element of the floating-point types weights are stored in.</summary>
internal static class WeightSizes
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a floating-point type.</exception>
    public static int BytesPerElement(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => 8,
        ScalarType.Float32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "weights are stored as a floating-point type"),
    };
}
