using System.Text;

namespace Matryoshka.Data.Emoji;

/// <summary>Turns catalog strings (names, short names, categories) into lower-case caption phrases.</summary>
internal static class CaptionText
{
    /// <summary>
    /// Lower-cases <paramref name="text"/>; typographic apostrophes become ', "&amp;" becomes "and", ':' becomes ',',
    /// brackets go, underscores become spaces (and hyphens too when <paramref name="hyphensSeparateWords"/>, as in
    /// short names and subcategories; names keep theirs: "t-shirt"). Control characters, tabs and '|' (the index's
    /// caption separator) become spaces, so a caption always stays on one line. Runs of spaces collapse.
    /// </summary>
    public static string Normalize(string text, bool hyphensSeparateWords)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text.ToLowerInvariant())
        {
            switch (c)
            {
                case '\u2019' or '\u2018':
                    builder.Append('\'');
                    break;
                case '&':
                    builder.Append(" and ");
                    break;
                case ':':
                    builder.Append(',');
                    break;
                case '(' or ')' or '[' or ']':
                    builder.Append(' ');
                    break;
                case '_' or '|':
                    builder.Append(' ');
                    break;
                case '-' when hyphensSeparateWords:
                    builder.Append(' ');
                    break;
                default:
                    builder.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c);
                    break;
            }
        }
        var words = builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words).Replace(" ,", ",", StringComparison.Ordinal).Trim(',', ' ');
    }

    /// <summary>Splits a phrase into its words, commas removed.</summary>
    public static IEnumerable<string> Words(string phrase) =>
        phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word => word.Trim(','));
}
