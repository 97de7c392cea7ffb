using System.Text;

namespace Matryoshka.Conditioning.Tokenization;

/// <summary>Caption helpers that count text the way Python counts a <c>str</c>: in code points.</summary>
internal static class CaptionText
{
    /// <summary>
    /// The first <paramref name="count"/> code points of <paramref name="text"/> (Python's <c>text[:count]</c>); a
    /// surrogate pair counts once, a lone surrogate once.
    /// </summary>
    public static string FirstCodePoints(string text, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var index = 0;
        for (var taken = 0; taken < count && index < text.Length; taken++)
        {
            Rune.DecodeFromUtf16(text.AsSpan(index), out _, out var consumed);
            index += consumed;
        }
        return text[..index];
    }
}
