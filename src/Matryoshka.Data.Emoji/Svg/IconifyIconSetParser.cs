using System.Text.Json;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Parses Iconify JSON (<c>icons.json</c>, see https://iconify.design/docs/types/iconify-json.html) and the set's
/// <c>chars.json</c>. The file as a whole must have the right shape, or the package is refused; a single bad entry
/// (wrong types, a body over the size limit, a transformation this reader does not apply) is recorded as unusable,
/// so only the emoji that need it are skipped.
/// </summary>
internal static class IconifyIconSetParser
{
    /// <summary>Iconify's default view box side when neither the icon nor the set gives one.</summary>
    private const double DefaultSide = 16;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    /// <summary>Parses the two files; <paramref name="sourceName"/> names the package in errors.</summary>
    /// <exception cref="EmojiPackageException">A file is not JSON, or not shaped like Iconify JSON.</exception>
    public static IconifyIconSet Parse(byte[] iconsJson, byte[] charsJson, string sourceName, IconifyLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        using var icons = ParseDocument(iconsJson, sourceName, "icons.json");
        using var chars = ParseDocument(charsJson, sourceName, "chars.json");
        var root = icons.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("icons", out var iconEntries) || iconEntries.ValueKind != JsonValueKind.Object)
            throw new EmojiPackageException(sourceName, "icons.json has no \"icons\" object; is it an Iconify JSON icon set?");
        if (chars.RootElement.ValueKind != JsonValueKind.Object)
            throw new EmojiPackageException(sourceName, "chars.json is not a JSON object of code points to icon names");

        var defaults = new IconifyIcon("", "", Number(root, "left") ?? 0, Number(root, "top") ?? 0,
            Number(root, "width") ?? DefaultSide, Number(root, "height") ?? DefaultSide);
        var parsed = new Dictionary<string, IconifyIcon>(StringComparer.Ordinal);
        var unusable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in iconEntries.EnumerateObject())
        {
            if (ReadIcon(entry, defaults, limits) is { } icon) parsed[entry.Name] = icon;
            else unusable[entry.Name] = Problem(entry, limits);
        }

        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("aliases", out var aliasEntries) && aliasEntries.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in aliasEntries.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("parent", out var parent)
                    && parent.ValueKind == JsonValueKind.String && entry.Value.EnumerateObject().All(p => p.Name is "parent" or "hidden"))
                    aliases[entry.Name] = parent.GetString()!;
                else
                    unusable[entry.Name] = "is an alias without a \"parent\" name, or with transformations this reader does not apply";
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in chars.RootElement.EnumerateObject())
        {
            // First entry wins when two spellings share a key (e.g. with and without FE0F).
            if (entry.Value.ValueKind == JsonValueKind.String && EmojiCodePoints.Key(entry.Name) is { } key)
                names.TryAdd(key, entry.Value.GetString()!);
        }
        return new IconifyIconSet(parsed, aliases, unusable, names);
    }

    private static JsonDocument ParseDocument(byte[] json, string sourceName, string file)
    {
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new EmojiPackageException(sourceName, $"{file} is not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>The icon, or null when the entry is unusable (<see cref="Problem"/> says why).</summary>
    private static IconifyIcon? ReadIcon(JsonProperty entry, IconifyIcon defaults, IconifyLimits limits)
    {
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String)
            return null;
        var text = body.GetString()!;
        if (text.Length > limits.MaxIconBodyChars || HasTransformation(value))
            return null;
        var icon = new IconifyIcon(entry.Name, text, Number(value, "left") ?? defaults.Left, Number(value, "top") ?? defaults.Top,
            Number(value, "width") ?? defaults.Width, Number(value, "height") ?? defaults.Height);
        return icon.Width > 0 && icon.Height > 0 && double.IsFinite(icon.Left) && double.IsFinite(icon.Top)
            && double.IsFinite(icon.Width) && double.IsFinite(icon.Height) ? icon : null;
    }

    private static string Problem(JsonProperty entry, IconifyLimits limits)
    {
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String)
            return "has no SVG \"body\" string";
        if (body.GetString()!.Length is var length && length > limits.MaxIconBodyChars)
            return $"has a body of {length:N0} characters, over the limit of {limits.MaxIconBodyChars:N0}";
        if (HasTransformation(value))
            return "uses rotate/hFlip/vFlip, which this reader does not apply";
        return "has a view box that is not finite and positive";
    }

    private static bool HasTransformation(JsonElement icon) =>
        (icon.TryGetProperty("rotate", out var rotate) && !(rotate.ValueKind == JsonValueKind.Number && rotate.GetDouble() == 0))
        || (icon.TryGetProperty("hFlip", out var h) && h.ValueKind != JsonValueKind.False)
        || (icon.TryGetProperty("vFlip", out var v) && v.ValueKind != JsonValueKind.False);

    /// <summary>The property as a number; null when absent or not a number.</summary>
    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
