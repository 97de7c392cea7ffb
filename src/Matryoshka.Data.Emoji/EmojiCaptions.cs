namespace Matryoshka.Data.Emoji;

/// <summary>
/// The captions of one emoji, natural lower-case English built only from its catalog fields.
/// </summary>
/// <remarks>
/// The rule (also in docs/data.md), for RED APPLE / [apple] / Food &amp; Drink / food-fruit:
/// <list type="number">
/// <item>the name phrase with an article: "a red apple" (no article when plural: "grapes");</item>
/// <item>the name phrase: "red apple";</item>
/// <item>each short name that is not noise, underscores and hyphens as spaces: "apple";</item>
/// <item>the first caption plus "emoji": "a red apple emoji";</item>
/// <item>the name phrase, a comma and the subcategory: "red apple, food fruit" (the category instead when the
/// subcategory adds nothing to the name: "cat face, animals and nature");</item>
/// <item>for country and subdivision flags named "X Flag", also "the flag of X".</item>
/// </list>
/// The name phrase is the lower-cased name (see <see cref="CaptionText.Normalize"/>) without noise tokens: "heavy",
/// and "white"/"black" unless a short name repeats them, because Unicode names use them for glyph style
/// (HEAVY BLACK HEART is the red heart, WHITE MEDIUM STAR the yellow star) while BLACK CAT keeps its colour.
/// A short name is noise when it is a flag code ("flag-br"), a skin-tone key, a single letter, or has anything but
/// letters, '_' and '-' ("+1", "clock9", "u7121"). Subcategory words "other" are dropped ("place-other" → "place").
/// A skin-tone variant gets every caption of its base emoji followed by ", medium-dark skin tone".
/// Duplicates are removed; order is as listed.
/// </remarks>
internal static class EmojiCaptions
{
    private static readonly HashSet<string> AlwaysNoise = ["heavy"];
    private static readonly HashSet<string> GlyphColours = ["white", "black"];

    /// <summary>The captions of <paramref name="emoji"/>, most literal first, never empty.</summary>
    public static IReadOnlyList<string> For(EmojiRecord emoji)
    {
        ArgumentNullException.ThrowIfNull(emoji);
        var shortNames = emoji.ShortNames.Select(ShortNamePhrase).OfType<string>().ToList();
        var name = NamePhrase(emoji);
        if (name.Length == 0)
            name = shortNames.FirstOrDefault() ?? "emoji";
        var withArticle = IndefiniteArticle.Prefix(name);
        var captions = new List<string> { withArticle, name };
        captions.AddRange(shortNames);
        captions.Add(withArticle + " emoji");
        var context = Context(emoji, name);
        if (context.Length > 0)
            captions.Add($"{name}, {context}");
        if (emoji.Subcategory is "country-flag" or "subdivision-flag" && name.EndsWith(" flag", StringComparison.Ordinal))
            captions.Add("the flag of " + name[..^" flag".Length]);

        var suffix = emoji.SkinTone is null ? "" : ", " + emoji.SkinTone;
        return captions.Select(caption => caption + suffix).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The name, lower-cased and without the noise tokens described in the class remarks (empty if nothing is left).</summary>
    internal static string NamePhrase(EmojiRecord emoji)
    {
        var name = CaptionText.Normalize(emoji.Name, hyphensSeparateWords: false);
        var shortWords = emoji.ShortNames.SelectMany(s => CaptionText.Normalize(s, hyphensSeparateWords: true).Split(' ')).ToHashSet(StringComparer.Ordinal);
        var kept = name.Split(' ').Where(word => !AlwaysNoise.Contains(word) && !(GlyphColours.Contains(word) && !shortWords.Contains(word)));
        var phrase = string.Join(' ', kept);
        return phrase.Length > 0 ? phrase : name;
    }

    /// <summary>The short name as a phrase ("point_left" → "point left"), or null when it is noise.</summary>
    internal static string? ShortNamePhrase(string shortName)
    {
        if (shortName.StartsWith("flag-", StringComparison.Ordinal) || shortName.StartsWith("skin-tone", StringComparison.Ordinal))
            return null;
        if (shortName.Count(char.IsAsciiLetterLower) < 2 || !shortName.All(c => char.IsAsciiLetterLower(c) || c is '_' or '-'))
            return null;
        return CaptionText.Normalize(shortName, hyphensSeparateWords: true);
    }

    private static string Context(EmojiRecord emoji, string name)
    {
        var subcategory = string.Join(' ', CaptionText.Normalize(emoji.Subcategory, hyphensSeparateWords: true).Split(' ').Where(word => word != "other"));
        var nameWords = CaptionText.Words(name).ToHashSet(StringComparer.Ordinal);
        bool addsNothing = subcategory.Length == 0 || CaptionText.Words(subcategory).All(nameWords.Contains);
        return addsNothing ? CaptionText.Normalize(emoji.Category, hyphensSeparateWords: true) : subcategory;
    }
}
