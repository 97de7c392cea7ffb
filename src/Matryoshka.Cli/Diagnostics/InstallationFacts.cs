using System.Reflection;
using Matryoshka.Build;
using TorchSharp;

namespace Matryoshka.Cli.Diagnostics;

/// <summary>The facts the doctor reports without loading any native code: versions, files, libstdc++.</summary>
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

    /// <summary>Writes the TorchSharp version, the backends found, and on Linux the libstdc++ and shim facts.</summary>
    public static void Write(ReportWriter report)
    {
        report.Line("Application", report.AppDirectory);
        report.Line("TorchSharp", TorchSharpVersion());
        var backends = NativeFiles.FindBackends(report.AppDirectory);
        report.Line("Backend", backends.Count == 0
            ? "none found (no libtorch_cpu / libtorch_cuda native files)"
            : string.Join("\n", backends.Select(b => $"{b.Name}: {report.Display(b.Path)}")));
        if (OperatingSystem.IsLinux()) WriteLibStdCxx(report);
    }

    private static void WriteLibStdCxx(ReportWriter report)
    {
        SystemLibStdCxx? libStdCxx;
        try
        {
            libStdCxx = SystemLibStdCxx.Find();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            report.Line("libstdc++", $"unreadable: {e.Message}");
            return;
        }
        report.Line("libstdc++", libStdCxx is null
            ? $"{SystemLibStdCxx.Soname} not found in the usual library folders"
            : $"{libStdCxx.Path} (newest {libStdCxx.NewestGlibcxx ?? "GLIBCXX version: none"})");

        var shim = NativeFiles.Find(report.AppDirectory, NativeFiles.ShimFileName).FirstOrDefault();
        if (shim is null)
        {
            report.Line("Native shim", $"{NativeFiles.ShimFileName} not found");
            return;
        }
        if (libStdCxx is null)
        {
            report.Line("Native shim", report.Display(shim));
            return;
        }
        try
        {
            report.Line("Native shim", $"{report.Display(shim)}\n{DescribeNeeds(ShimVersionNeeds.Read(shim, libStdCxx))}");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            report.Line("Native shim", $"{report.Display(shim)}\nunreadable: {e.Message}");
        }
    }

    private static string DescribeNeeds(ShimVersionNeeds needs)
    {
        static string Names(IEnumerable<ElfVersionNeed> list) =>
            list.Any() ? string.Join(", ", list.Select(n => n.Version)) : "none";
        return $"needs GLIBCXX up to {needs.NewestNeeded ?? "none"}; weak-patched: {Names(needs.Weak)}; unsatisfied: {Names(needs.Unsatisfied)}";
    }
}
