namespace Matryoshka.Training.Data;

/// <summary>
/// How an 8-bit pixel byte becomes a model value in about [−1, 1]. The image library's conventions
/// (<c>Matryoshka.ImageSharp.PixelConvention</c>) map onto these, so the arithmetic lives in one place.
/// </summary>
public enum PixelNormalization
{
    /// <summary>Apple ml-mdm: <c>(byte − 127) / 128</c>, giving values in [−0.9921875, 1].</summary>
    MlMdm,

    /// <summary>The common (diffusers-style) mapping: <c>byte / 127.5 − 1</c>, giving values in [−1, 1].</summary>
    Standard,
}
