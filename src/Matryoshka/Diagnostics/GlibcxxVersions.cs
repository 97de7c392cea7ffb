namespace Matryoshka.Diagnostics;

/// <summary>Orders libstdc++ symbol versions (GLIBCXX_3.4.9 &lt; GLIBCXX_3.4.30) numerically, not as text.</summary>
internal static class GlibcxxVersions
{
    private const string Prefix = "GLIBCXX_";

    /// <summary>The highest GLIBCXX_x.y.z among <paramref name="versionNames"/>, or null when there is none.</summary>
    public static string? Newest(IEnumerable<string> versionNames) =>
        versionNames
            .Select(name => (Name: name, Number: Parse(name)))
            .Where(v => v.Number is not null)
            .OrderByDescending(v => v.Number)
            .Select(v => v.Name)
            .FirstOrDefault();

    /// <summary>The number of a GLIBCXX version name, or null for other names (GLIBCXX_DEBUG, CXXABI_1.3, ...).</summary>
    public static Version? Parse(string versionName) =>
        versionName.StartsWith(Prefix, StringComparison.Ordinal)
        && Version.TryParse(versionName.AsSpan(Prefix.Length), out var number)
            ? number
            : null;
}
