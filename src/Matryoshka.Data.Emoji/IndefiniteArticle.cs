namespace Matryoshka.Data.Emoji;

/// <summary>
/// Puts "a" or "an" before a lower-case English noun phrase, or nothing when the phrase reads as plural
/// ("grapes", "two hearts", "men with bunny ears"). A heuristic for emoji names, not a grammar: the head noun is the
/// last word before the first preposition, comma or later "-ing" word; it is plural when it is an irregular plural or
/// ends in "s" but not in "ss", "us", "is", "os" (glass, octopus, iris, rhinoceros) and is not a known exception.
/// "an" goes before a vowel letter except where it sounds like "you"/"w" (unicorn, euro, one) and before a silent h.
/// </summary>
internal static class IndefiniteArticle
{
    private static readonly HashSet<string> Connectors =
        ["with", "of", "in", "on", "for", "and", "at", "from", "under", "over", "without", "behind", "into", "facing"];

    private static readonly HashSet<string> PluralFirstWords =
        ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "both"];

    private static readonly HashSet<string> IrregularPlurals = ["men", "women", "people", "children", "feet", "teeth", "mice", "geese"];

    private static readonly HashSet<string> SingularDespiteS =
        ["christmas", "sos", "vs", "americas", "biceps", "upwards", "downwards", "leftwards", "rightwards"];

    private static readonly string[] ConsonantSoundingVowelStarts =
        ["uni", "use", "usa", "usb", "uga", "ukr", "uru", "uku", "utah", "euro", "eu", "one", "once", "ewe", "ufo"];

    private static readonly string[] SilentH = ["hour", "honest", "honour", "honor", "heir"];

    /// <summary>"a red apple", "an umbrella", "grapes".</summary>
    public static string Prefix(string phrase)
    {
        if (phrase.Length == 0 || IsPlural(phrase))
            return phrase;
        return (StartsWithVowelSound(phrase) ? "an " : "a ") + phrase;
    }

    /// <summary>Whether the phrase's head noun reads as plural (see the class remarks).</summary>
    public static bool IsPlural(string phrase)
    {
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return false;
        var first = words[0].TrimEnd(',');
        if (PluralFirstWords.Contains(first) || IrregularPlurals.Contains(first))
            return true;

        string head = first;
        for (int i = 0; i < words.Length; i++)
        {
            var word = words[i].TrimEnd(',');
            if (Connectors.Contains(word) || (i > 0 && word.EndsWith("ing", StringComparison.Ordinal)))
                break;
            head = word;
            if (words[i].EndsWith(',')) break;
        }
        if (IrregularPlurals.Contains(head))
            return true;
        if (SingularDespiteS.Contains(head) || !head.EndsWith('s'))
            return false;
        return !(head.EndsWith("ss", StringComparison.Ordinal) || head.EndsWith("us", StringComparison.Ordinal)
            || head.EndsWith("is", StringComparison.Ordinal) || head.EndsWith("os", StringComparison.Ordinal)
            || head.EndsWith("'s", StringComparison.Ordinal));
    }

    private static bool StartsWithVowelSound(string phrase)
    {
        if (SilentH.Any(prefix => phrase.StartsWith(prefix, StringComparison.Ordinal)))
            return true;
        if (ConsonantSoundingVowelStarts.Any(prefix => phrase.StartsWith(prefix, StringComparison.Ordinal)))
            return false;
        return "aeiou".Contains(phrase[0]);
    }
}
