using System.Reflection;
using Matryoshka.Build;
using TorchSharp;

namespace Matryoshka.Diagnostics;

/// <summary>The facts the doctor gathers without loading any native code: versions, files, libstdc++.</summary>
internal static class InstallationFacts
{
    /// <summary>TorchSharp's assembly informational version without the source-revision suffix, e.g. 0.107.0.</summary>
    public static string TorchSharpVersion()
    {
        var assembly = typeof(torch).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>The TorchSharp version, the backends found in <paramref name="appDirectory"/>, and on Linux the libstdc++ and shim facts.</summary>
    public static List<InstallationFact> Gather(string appDirectory, IReadOnlyList<NativeBackend> backends)
    {
        var facts = new List<InstallationFact>
        {
            new("Application", appDirectory),
            new("TorchSharp", TorchSharpVersion()),
            new("Backend", backends.Count == 0
                ? "none found (no libtorch_cpu / libtorch_cuda native files)"
                : string.Join("\n", backends.Select(b => $"{b.Name}: {Display(appDirectory, b.Path)}"))),
        };
        if (OperatingSystem.IsLinux()) AddLibStdCxx(facts, appDirectory);
        return facts;
    }

    /// <summary><paramref name="path"/> relative to the application folder when it lies inside it.</summary>
    public static string Display(string appDirectory, string path)
    {
        var relative = Path.GetRelativePath(appDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private static void AddLibStdCxx(List<InstallationFact> facts, string appDirectory)
    {
        SystemLibStdCxx? libStdCxx;
        try
        {
            libStdCxx = SystemLibStdCxx.Find();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            facts.Add(new("libstdc++", $"unreadable: {e.Message}"));
            return;
        }
        facts.Add(new("libstdc++", libStdCxx is null
            ? $"{SystemLibStdCxx.Soname} not found in the usual library folders"
            : $"{libStdCxx.Path} (newest {libStdCxx.NewestGlibcxx ?? "GLIBCXX version: none"})"));

        var shim = NativeFiles.Find(appDirectory, NativeFiles.ShimFileName).FirstOrDefault();
        facts.Add(new("Native shim", shim is null ? $"{NativeFiles.ShimFileName} not found"
            : libStdCxx is null ? Display(appDirectory, shim)
            : $"{Display(appDirectory, shim)}\n{DescribeNeeds(shim, libStdCxx)}"));
    }

    private static string DescribeNeeds(string shim, SystemLibStdCxx libStdCxx)
    {
        ShimVersionNeeds needs;
        try
        {
            needs = ShimVersionNeeds.Read(shim, libStdCxx);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return $"unreadable: {e.Message}";
        }
        static string Names(IEnumerable<ElfVersionNeed> list) =>
            list.Any() ? string.Join(", ", list.Select(n => n.Version)) : "none";
        return $"needs GLIBCXX up to {needs.NewestNeeded ?? "none"}; weak-patched: {Names(needs.Weak)}; unsatisfied: {Names(needs.Unsatisfied)}";
    }
}
