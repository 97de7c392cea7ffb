using System.Reflection;

namespace Matryoshka.Tests.Architecture;

/// <summary>
/// The repository's assemblies that the tests' output folder holds (every project the tests reference, directly or
/// through the CLI): the core, the satellite packages and the CLI. A new project is checked once the tests reference it.
/// </summary>
internal static class LibraryAssemblies
{
    private static readonly string[] NotChecked = ["Matryoshka.Tests", "Matryoshka.Build.Tasks"];

    /// <summary>Loaded once, by name, from the tests' output folder.</summary>
    public static IReadOnlyList<Assembly> All { get; } = Directory.EnumerateFiles(AppContext.BaseDirectory, "Matryoshka*.dll")
        .Select(Path.GetFileNameWithoutExtension).Where(name => !NotChecked.Contains(name)).Order(StringComparer.Ordinal)
        .Select(name => Assembly.Load(new AssemblyName(name!))).ToList();
}
