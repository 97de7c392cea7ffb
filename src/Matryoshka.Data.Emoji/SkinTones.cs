namespace Matryoshka.Data.Emoji;

/// <summary>Skin-tone modifier code points (Fitzpatrick types, U+1F3FB–U+1F3FF) in words, for variant captions.</summary>
internal static class SkinTones
{
    private static readonly Dictionary<string, string> Tones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["1F3FB"] = "light",
        ["1F3FC"] = "medium-light",
        ["1F3FD"] = "medium",
        ["1F3FE"] = "medium-dark",
        ["1F3FF"] = "dark",
    };

    /// <summary>
    /// Describes a <c>skin_variations</c> key: <c>1F3FE</c> → "medium-dark skin tone",
    /// <c>1F3FB-1F3FF</c> → "light and dark skin tones"; null when a part is not a tone modifier.
    /// </summary>
    public static string? Describe(string key)
    {
        var parts = key.Split('-');
        var words = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (!Tones.TryGetValue(part, out var tone)) return null;
            words.Add(tone);
        }
        var distinct = words.Distinct().ToList();
        return distinct.Count == 1
            ? $"{distinct[0]} skin tone"
            : $"{string.Join(", ", distinct.Take(distinct.Count - 1))} and {distinct[^1]} skin tones";
    }
}
