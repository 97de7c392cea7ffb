namespace Matryoshka.Data.Emoji.Svg;

/// <summary>What became of one emoji of the reference set in the SVG preparation.</summary>
public enum SvgEmojiDecision
{
    /// <summary>Rendered, and pooled to the reference size within the allowed difference: written.</summary>
    Kept,

    /// <summary>Rendered, but too different from the reference image: the art changed between Noto releases. Not written.</summary>
    ArtChanged,

    /// <summary><c>chars.json</c> has no icon for the emoji's code points.</summary>
    NotInIconSet,

    /// <summary>The icon is missing from <c>icons.json</c> or unusable (too large, malformed entry, alias loop).</summary>
    IconUnusable,

    /// <summary>The SVG was refused (malformed, not self-contained) or the renderer failed on it.</summary>
    SvgRefused,

    /// <summary>The reference image or caption file could not be read.</summary>
    ReferenceUnreadable,
}
