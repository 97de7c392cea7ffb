using System.Globalization;
using System.Text;

namespace Matryoshka.Text.MiniLM.Tokenization;

/// <summary>
/// BERT's uncased basic tokenizer, as a lazy stream of words: drops control characters, splits on whitespace,
/// lowercases (invariant culture), strips accents (canonical decomposition, then every nonspacing mark removed) and
/// makes each punctuation character and CJK ideograph a word of its own. Lazy, so a caller that needs only the first
/// few hundred word pieces of a huge prompt stops reading it there.
/// </summary>
internal static class BertWordSplitter
{
    /// <summary>Words longer than this (in code points) become [UNK] whole; only whether a word exceeds it matters.</summary>
    public const int MaxWordLength = 100;

    /// <summary>The words of <paramref name="text"/>; a word longer than <see cref="MaxWordLength"/> comes back as null.</summary>
    public static IEnumerable<string?> Words(string text)
    {
        var word = new StringBuilder();
        int length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (BertCharacters.IsDropped(rune)) continue;
            if (BertCharacters.IsWhitespace(rune))
            {
                if (length > 0) yield return Take(word, ref length);
                continue;
            }
            if (BertCharacters.IsCjkIdeograph(rune))
            {
                if (length > 0) yield return Take(word, ref length);
                yield return rune.ToString();
                continue;
            }
            foreach (var part in Normalized(rune))
            {
                if (BertCharacters.IsPunctuation(part))
                {
                    if (length > 0) yield return Take(word, ref length);
                    yield return part.ToString();
                }
                else
                {
                    // Past the limit only the count matters: the word becomes [UNK] anyway.
                    if (length <= MaxWordLength) word.Append(part.ToString());
                    length++;
                }
            }
        }
        if (length > 0) yield return Take(word, ref length);
    }

    private static string? Take(StringBuilder word, ref int length)
    {
        string? result = length > MaxWordLength ? null : word.ToString();
        word.Clear();
        length = 0;
        return result;
    }

    // Lowercase, decompose, drop nonspacing marks ("É" → "é" → "e" + U+0301 → "e"). ASCII needs only the lowercase.
    private static IEnumerable<Rune> Normalized(Rune rune)
    {
        var lower = Rune.ToLowerInvariant(rune);
        if (lower.IsAscii)
        {
            yield return lower;
            yield break;
        }
        foreach (var part in lower.ToString().Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(part) != UnicodeCategory.NonSpacingMark) yield return part;
        }
    }
}
