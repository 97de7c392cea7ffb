namespace Matryoshka.Data.Emoji.Svg;

/// <summary>Why <see cref="IconifyIconSet.Resolve"/> found no icon.</summary>
internal enum IconLookupFailure
{
    /// <summary>The name (or the icon an alias points at) is not in <c>icons.json</c>.</summary>
    Missing,

    /// <summary>The entry is there but cannot be used: body over the size limit, wrong JSON types, alias loop.</summary>
    Unusable,
}
