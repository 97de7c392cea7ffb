using System.Globalization;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Compares emoji by code point sequence across catalogs that spell them differently. emoji-datasource writes the
/// fully qualified sequence (<c>2764-fe0f</c>, <c>0023-fe0f-20e3</c>, <c>1f3f3-fe0f-200d-1f308</c>); Iconify's
/// <c>chars.json</c> drops the variation selectors (<c>2764</c>, <c>0023-20e3</c>, <c>1f3f3-200d-1f308</c>). The
/// key keeps everything that changes the picture (zero-width joiners, skin-tone modifiers, keycap and tag
/// characters) and drops only the presentation selectors FE0E and FE0F.
/// </summary>
internal static class EmojiCodePoints
{
    private const int TextPresentation = 0xFE0E;
    private const int EmojiPresentation = 0xFE0F;

    /// <summary>
    /// The comparison key of a dash-separated hexadecimal sequence: lower case, at least four digits per code point,
    /// variation selectors removed. Null when a part is not a valid code point or nothing is left.
    /// </summary>
    public static string? Key(string sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var parts = new List<string>();
        foreach (var part in sequence.Split('-'))
        {
            if (part.Length is 0 or > 6 || !int.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int codePoint)
                || codePoint > 0x10FFFF)
                return null;
            if (codePoint is not (TextPresentation or EmojiPresentation))
                parts.Add(codePoint.ToString("x4", CultureInfo.InvariantCulture));
        }
        return parts.Count == 0 ? null : string.Join('-', parts);
    }
}
