using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// Scalars the T5 forward pass uses on every call, created once and kept alive for the process: TorchSharp frees an
/// implicit number's native Scalar from a finalizer, which can run while libtorch still reads it
/// (docs/troubleshooting.md), and the hidden <c>alpha = 1</c> of <c>a + b</c> is such a number.
/// </summary>
internal static class T5Scalars
{
    /// <summary>1, also the <c>alpha</c> of residual additions.</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>Integer 1, the <c>alpha</c> of additions of integer tensors (libtorch refuses a floating-point one there).</summary>
    public static readonly Scalar OneInteger = 1L.ToScalar();

    /// <summary>2, the power of the mean square.</summary>
    public static readonly Scalar Two = 2.0.ToScalar();
}
