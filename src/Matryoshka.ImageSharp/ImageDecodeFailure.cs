namespace Matryoshka.ImageSharp;

/// <summary>Why <see cref="SafeImageDecoder"/> refused an image.</summary>
public enum ImageDecodeFailure
{
    /// <summary>The file does not exist or cannot be read.</summary>
    Unreadable,

    /// <summary>The file or stream holds no bytes.</summary>
    Empty,

    /// <summary>The file or stream is larger than the configured byte limit.</summary>
    FileTooLarge,

    /// <summary>The bytes are not a PNG or JPEG image (GIF, TIFF, WebP, BMP and unknown data included).</summary>
    UnsupportedFormat,

    /// <summary>The image header declares more pixels than the configured limit.</summary>
    TooManyPixels,

    /// <summary>The image data is damaged or truncated.</summary>
    Corrupt,

    /// <summary>Decoding would need more memory than the allocation cap allows.</summary>
    MemoryLimit,
}
