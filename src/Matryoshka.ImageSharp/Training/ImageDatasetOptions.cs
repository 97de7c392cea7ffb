using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// How the image datasets (<see cref="ImageFolderDataset"/>, <see cref="TsvIndexDataset"/>) turn a file into a
/// training sample: decode safely, composite transparency onto <see cref="Background"/>, resize so the short side
/// equals <see cref="Resolution"/>, centre-crop to a square, normalise.
/// </summary>
/// <remarks>
/// Resampling (ImageSharp, on gamma-encoded sRGB bytes as ml-mdm's reader does): Lanczos-3 when shrinking, for little
/// aliasing; bicubic (Keys, a = −0.5) when enlarging, which rings less. An image whose short side already equals the
/// resolution is only cropped, so its pixels pass through unchanged. Only the part of the resized image that survives
/// the crop is computed, so a very elongated image costs no more than a square one.
/// </remarks>
public sealed record ImageDatasetOptions
{
    /// <summary>Side of the square output in pixels.</summary>
    public required int Resolution { get; init; }

    /// <summary>How pixel bytes become model values. Default ml-mdm's <c>(x − 127) / 128</c>.</summary>
    public PixelConvention Convention { get; init; } = PixelConvention.MlMdm;

    /// <summary>3 (RGB, default) or 1 (ITU-R BT.709 luminance, ImageSharp's <c>L8</c> conversion).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>The colour transparent pixels are composited onto (default white; emoji, for one, are transparent).</summary>
    public Rgb24 Background { get; init; } = new(255, 255, 255);

    /// <summary>Limits for decoding untrusted files.</summary>
    public SafeImageDecoderOptions Decoder { get; init; } = new();

    /// <summary>Largest accepted <see cref="Resolution"/>.</summary>
    public const int MaxResolution = 8192;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (Resolution < 1 || Resolution > MaxResolution)
            throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution, $"The resolution must be 1 … {MaxResolution} pixels.");
        if (Channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Channels must be 3 (RGB) or 1 (gray).");
        if (!Enum.IsDefined(Convention))
            throw new ArgumentOutOfRangeException(nameof(Convention), Convention, "Unknown pixel convention.");
        ArgumentNullException.ThrowIfNull(Decoder, nameof(Decoder));
    }
}
