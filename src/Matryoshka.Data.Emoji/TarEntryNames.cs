namespace Matryoshka.Data.Emoji;

/// <summary>Checks tar entry names before anything looks at them: a name that could escape the archive is refused.</summary>
internal static class TarEntryNames
{
    /// <summary>
    /// Returns <paramref name="name"/> with empty and <c>.</c> segments removed, or null when the name is unsafe:
    /// empty, absolute (<c>/x</c>, <c>C:x</c>), holding a backslash, a control character, or a <c>..</c> segment.
    /// </summary>
    public static string? Normalize(string name)
    {
        if (string.IsNullOrEmpty(name) || name.StartsWith('/') || name.Contains('\\') || name.Contains(':'))
            return null;
        if (name.Any(char.IsControl))
            return null;
        var segments = name.Split('/').Where(segment => segment.Length > 0 && segment != ".").ToArray();
        if (segments.Length == 0 || segments.Contains(".."))
            return null;
        return string.Join('/', segments);
    }
}
