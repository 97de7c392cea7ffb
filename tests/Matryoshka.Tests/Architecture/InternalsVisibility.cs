using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace Matryoshka.Tests.Architecture;

/// <summary>
/// Which assemblies may see a library's internals: only projects of this repository that are never packed (the tests
/// and the benchmarks), so no shipped package leans on another's internals.
/// </summary>
internal static class InternalsVisibility
{
    /// <summary>Each <c>InternalsVisibleTo</c> of <paramref name="assemblies"/> naming an assembly that is packed or unknown.</summary>
    public static IReadOnlyList<string> ToPackableAssemblies(IEnumerable<Assembly> assemblies, string repositoryRoot)
    {
        var projects = Projects(repositoryRoot);
        return assemblies.SelectMany(a => a.GetCustomAttributes<InternalsVisibleToAttribute>().Select(v => (From: a.GetName().Name!, To: new AssemblyName(v.AssemblyName).Name!)))
            .Where(v => !projects.TryGetValue(v.To, out var packable) || packable)
            .Select(v => projects.ContainsKey(v.To)
                ? $"{v.From} shows its internals to {v.To}, a packable project: make what it needs public (with XML docs) or move it there"
                : $"{v.From} shows its internals to {v.To}, which is no project of this repository")
            .ToList();
    }

    // Assembly name → IsPackable, for every project (Directory.Build.props makes a project unpackable unless it says true).
    private static Dictionary<string, bool> Projects(string root) =>
        new[] { "src", "tests", "benchmarks", "samples" }.Select(d => Path.Combine(root, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.csproj", SearchOption.AllDirectories))
            .ToDictionary(p => AssemblyName(p), IsPackable, StringComparer.Ordinal);

    private static string AssemblyName(string project) =>
        Property(project, "AssemblyName") ?? Path.GetFileNameWithoutExtension(project);

    private static bool IsPackable(string project) =>
        string.Equals(Property(project, "IsPackable"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? Property(string project, string name) =>
        XDocument.Load(project).Descendants(name).LastOrDefault()?.Value.Trim();
}
