using System.Text.Json;
using System.Text.RegularExpressions;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// The emoji of an emoji-datasource <c>emoji.json</c>: a JSON array of objects with <c>name</c>, <c>unified</c>,
/// <c>short_names</c>, <c>category</c>, <c>subcategory</c>, <c>image</c>, <c>has_img_google</c> and optionally
/// <c>skin_variations</c> (an object from tone key to an object with <c>unified</c>, <c>image</c>,
/// <c>has_img_google</c>). An entry with a missing or mistyped field, or with a code point or image name that
/// could not safely be a file name, becomes an <see cref="EmojiSkip"/> instead of failing the whole file.
/// </summary>
internal sealed partial class EmojiCatalog
{
    private EmojiCatalog(IReadOnlyList<EmojiRecord> emoji, IReadOnlyList<EmojiSkip> malformed)
    {
        Emoji = emoji;
        Malformed = malformed;
    }

    /// <summary>Every well-formed emoji and skin-tone variant, in catalog order.</summary>
    public IReadOnlyList<EmojiRecord> Emoji { get; }

    /// <summary>Entries (or variants) that were refused, with the reason.</summary>
    public IReadOnlyList<EmojiSkip> Malformed { get; }

    /// <summary>Parses <paramref name="json"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="EmojiPackageException">The bytes are not JSON, or the root is not an array.</exception>
    public static EmojiCatalog Parse(byte[] json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new EmojiPackageException(sourceName, $"emoji.json is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new EmojiPackageException(sourceName, $"emoji.json must hold a JSON array of emoji; its root is {document.RootElement.ValueKind}");
            var emoji = new List<EmojiRecord>();
            var malformed = new List<EmojiSkip>();
            int index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var label = $"entry #{index++}";
                try
                {
                    var record = ReadEmoji(element);
                    emoji.Add(record);
                    if (element.TryGetProperty("skin_variations", out var variations))
                        ReadVariations(record, variations, emoji, malformed);
                }
                catch (MalformedEntry e)
                {
                    malformed.Add(new EmojiSkip(e.Stem ?? label, EmojiSkipReason.MalformedEntry, e.Message));
                }
            }
            return new EmojiCatalog(emoji, malformed);
        }
    }

    private static EmojiRecord ReadEmoji(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new MalformedEntry(null, $"is a JSON {element.ValueKind}, not an object");
        var stem = ReadStem(element, null);
        try
        {
            return new EmojiRecord(
                stem,
                Text(element, "name"),
                ShortNames(element),
                Text(element, "category"),
                Text(element, "subcategory"),
                ImageName(element),
                Flag(element, "has_img_google"));
        }
        catch (MalformedEntry e) when (e.Stem is null)
        {
            throw new MalformedEntry(stem, e.Message);
        }
    }

    private static void ReadVariations(EmojiRecord baseEmoji, JsonElement variations, List<EmojiRecord> emoji, List<EmojiSkip> malformed)
    {
        if (variations.ValueKind != JsonValueKind.Object)
        {
            malformed.Add(new EmojiSkip(baseEmoji.Stem, EmojiSkipReason.MalformedEntry, "'skin_variations' is not an object"));
            return;
        }
        foreach (var variation in variations.EnumerateObject())
        {
            try
            {
                var tone = SkinTones.Describe(variation.Name)
                    ?? throw new MalformedEntry(baseEmoji.Stem, $"skin variation '{Clip(variation.Name)}' is not a skin-tone key");
                if (variation.Value.ValueKind != JsonValueKind.Object)
                    throw new MalformedEntry(baseEmoji.Stem, $"skin variation '{variation.Name}' is not an object");
                var stem = ReadStem(variation.Value, baseEmoji.Stem);
                emoji.Add(baseEmoji with
                {
                    Stem = stem,
                    Image = Safe(stem, () => ImageName(variation.Value)),
                    HasGoogleImage = Safe(stem, () => Flag(variation.Value, "has_img_google")),
                    SkinTone = tone,
                });
            }
            catch (MalformedEntry e)
            {
                malformed.Add(new EmojiSkip(e.Stem ?? baseEmoji.Stem, EmojiSkipReason.MalformedEntry, e.Message));
            }
        }
    }

    private static T Safe<T>(string stem, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (MalformedEntry e) when (e.Stem is null)
        {
            throw new MalformedEntry(stem, e.Message);
        }
    }

    /// <summary>The lower-case unified code points, checked to be hex groups joined by '-' so they make a safe file name.</summary>
    private static string ReadStem(JsonElement element, string? owner)
    {
        string unified;
        try
        {
            unified = Text(element, "unified");
        }
        catch (MalformedEntry e)
        {
            throw new MalformedEntry(owner, e.Message);
        }
        if (!UnifiedPattern().IsMatch(unified))
            throw new MalformedEntry(owner, $"'unified' must be hex code points joined by '-'; got '{Clip(unified)}'");
        return unified.ToLowerInvariant();
    }

    private static string ImageName(JsonElement element)
    {
        var image = Text(element, "image");
        if (!ImagePattern().IsMatch(image))
            throw new MalformedEntry(null, $"'image' must be a plain file name such as 1f34e.png; got '{Clip(image)}'");
        return image;
    }

    private static string Text(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value))
            throw new MalformedEntry(null, $"has no '{property}'");
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw new MalformedEntry(null, $"'{property}' must be a non-empty string; got {value.ValueKind}");
        return value.GetString()!;
    }

    private static bool Flag(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value))
            throw new MalformedEntry(null, $"has no '{property}'");
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new MalformedEntry(null, $"'{property}' must be true or false; got {value.ValueKind}"),
        };
    }

    private static IReadOnlyList<string> ShortNames(JsonElement element)
    {
        if (!element.TryGetProperty("short_names", out var value))
            return [];
        if (value.ValueKind != JsonValueKind.Array)
            throw new MalformedEntry(null, $"'short_names' must be an array; got {value.ValueKind}");
        var names = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new MalformedEntry(null, $"'short_names' must hold strings; found {item.ValueKind}");
            names.Add(item.GetString()!);
        }
        return names;
    }

    private static string Clip(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c).Take(80).ToArray());

    [GeneratedRegex("^[0-9A-Fa-f]{1,6}(-[0-9A-Fa-f]{1,6}){0,15}\\z")]
    private static partial Regex UnifiedPattern();

    [GeneratedRegex("^[0-9A-Za-z][0-9A-Za-z_-]{0,127}\\.png\\z")]
    private static partial Regex ImagePattern();

    /// <summary>Carries one entry's problem up to the loop, which turns it into an <see cref="EmojiSkip"/>.</summary>
    private sealed class MalformedEntry(string? stem, string message) : Exception(message)
    {
        public string? Stem { get; } = stem;
    }
}
