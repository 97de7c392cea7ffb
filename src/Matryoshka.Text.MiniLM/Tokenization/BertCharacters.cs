using System.Globalization;
using System.Text;

namespace Matryoshka.Text.MiniLM.Tokenization;

/// <summary>The character classes of BERT's basic tokenizer (which characters are dropped, split on, or kept).</summary>
internal static class BertCharacters
{
    /// <summary>Removed before anything else: NUL, U+FFFD, and every "other" category (Cc, Cf, Cn, Co, Cs) except tab and line breaks.</summary>
    public static bool IsDropped(Rune rune)
    {
        int value = rune.Value;
        if (value == 0 || value == 0xFFFD) return true;
        if (value is '\t' or '\n' or '\r') return false;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>Separates words: space, tab, line breaks and the space separators (Zs).</summary>
    public static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    /// <summary>
    /// A word of its own: every ASCII symbol that is not a letter or digit (so "$", "+", "^" and "`" too, which
    /// Unicode does not call punctuation), and every Unicode punctuation category (P*).
    /// </summary>
    public static bool IsPunctuation(Rune rune)
    {
        int value = rune.Value;
        if (value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>CJK unified ideographs (and their extensions and compatibility blocks): each is a word of its own.</summary>
    public static bool IsCjkIdeograph(Rune rune) => rune.Value is
        >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
        or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
