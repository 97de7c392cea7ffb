namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// An Iconify icon set as parsed by <see cref="IconifyIconSetParser"/>: icons by name, aliases (a name standing for
/// another icon), the code point map, and the entries that were unusable, each with the reason.
/// </summary>
internal sealed class IconifyIconSet
{
    /// <summary>Longest alias chain followed before giving up (a loop or an absurd chain).</summary>
    private const int MaxAliasDepth = 16;

    internal IconifyIconSet(IReadOnlyDictionary<string, IconifyIcon> icons, IReadOnlyDictionary<string, string> aliases,
        IReadOnlyDictionary<string, string> unusable, IReadOnlyDictionary<string, string> namesByCodePoints)
    {
        Icons = icons;
        Aliases = aliases;
        Unusable = unusable;
        NamesByCodePoints = namesByCodePoints;
    }

    /// <summary>Usable icons by name.</summary>
    public IReadOnlyDictionary<string, IconifyIcon> Icons { get; }

    /// <summary>Alias name → the name it stands for.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    /// <summary>Icon or alias names that were present but unusable → why (body too large, wrong types, ...).</summary>
    public IReadOnlyDictionary<string, string> Unusable { get; }

    /// <summary>Icon names by code point key (<see cref="EmojiCodePoints.Key"/>), from <c>chars.json</c>.</summary>
    public IReadOnlyDictionary<string, string> NamesByCodePoints { get; }

    /// <summary>Finds the icon for <paramref name="name"/>, following aliases.</summary>
    /// <exception cref="IconLookupException">The name is unknown, unusable, or an alias chain that leads nowhere.</exception>
    public IconifyIcon Resolve(string name)
    {
        var current = name;
        for (int depth = 0; depth <= MaxAliasDepth; depth++)
        {
            if (Unusable.TryGetValue(current, out var problem))
                throw new IconLookupException(name, IconLookupFailure.Unusable, current == name ? problem : $"its target '{current}' {problem}");
            if (Icons.TryGetValue(current, out var icon))
                return icon;
            if (!Aliases.TryGetValue(current, out var parent))
                throw new IconLookupException(name, IconLookupFailure.Missing,
                    current == name ? "is not in icons.json" : $"is an alias of '{current}', which is not in icons.json");
            current = parent;
        }
        throw new IconLookupException(name, IconLookupFailure.Unusable, $"is an alias chain longer than {MaxAliasDepth} (a loop?)");
    }
}
