namespace Matryoshka.Data.Emoji;

/// <summary>Why an emoji of the catalog produced no image.</summary>
public enum EmojiSkipReason
{
    /// <summary>The catalog entry lacks a field, has a wrong type, or an unsafe code point or image name.</summary>
    MalformedEntry,

    /// <summary>Another entry already produced the same file stem.</summary>
    Duplicate,

    /// <summary>The catalog says there is no Google image (<c>has_img_google</c> false).</summary>
    NoGoogleImage,

    /// <summary>The catalog names an image the package does not hold.</summary>
    MissingImage,

    /// <summary>The image entry is over <see cref="EmojiPackageLimits.MaxImageBytes"/>.</summary>
    ImageTooLarge,

    /// <summary>The image is not a decodable PNG (or JPEG).</summary>
    CorruptImage,
}
