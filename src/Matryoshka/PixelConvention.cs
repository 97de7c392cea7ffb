namespace Matryoshka;

/// <summary>
/// How model values in [−1, 1] map to 8-bit pixel bytes and back. Both directions of one convention
/// are chosen so that image → tensor → image reproduces the bytes.
/// </summary>
public enum PixelConvention
{
    /// <summary>
    /// Apple ml-mdm: bytes are <c>clamp(x·128 + 127, 0, 255)</c> truncated toward zero; values are
    /// <c>(byte − 127) / 128</c>. Use this for parity with ml-mdm samples and training data.
    /// </summary>
    MlMdm,

    /// <summary>
    /// The common (diffusers-style) mapping: bytes are <c>round(clamp(x/2 + 0.5, 0, 1)·255)</c> with
    /// round-half-to-even; values are <c>byte / 127.5 − 1</c>.
    /// </summary>
    Standard,
}
