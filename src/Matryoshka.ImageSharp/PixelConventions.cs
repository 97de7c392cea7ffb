using Matryoshka.Training.Data;

namespace Matryoshka.ImageSharp;

/// <summary>Relates <see cref="PixelConvention"/> to the core library's byte → value arithmetic.</summary>
public static class PixelConventions
{
    /// <summary>The core <see cref="PixelNormalization"/> whose byte → value mapping this convention uses.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="convention"/> is not a defined value.</exception>
    public static PixelNormalization ToNormalization(this PixelConvention convention) => convention switch
    {
        PixelConvention.MlMdm => PixelNormalization.MlMdm,
        PixelConvention.Standard => PixelNormalization.Standard,
        _ => throw new ArgumentOutOfRangeException(nameof(convention), convention, "Unknown pixel convention."),
    };
}
