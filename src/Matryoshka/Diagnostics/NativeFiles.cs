using System.Runtime.InteropServices;

namespace Matryoshka.Diagnostics;

/// <summary>
/// Finds TorchSharp's native files in an application folder the way a build lays them out: flat in the
/// folder (RID-specific publish) or under runtimes/&lt;rid&gt;/native (portable build output).
/// </summary>
internal static class NativeFiles
{
    /// <summary>File name of TorchSharp's native shim on this operating system.</summary>
    public static string ShimFileName =>
        OperatingSystem.IsWindows() ? "LibTorchSharp.dll"
        : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib"
        : "libLibTorchSharp.so";

    /// <summary>Every copy of <paramref name="fileName"/> in the folders the runtime probes, most likely first.</summary>
    public static IReadOnlyList<string> Find(string appDirectory, string fileName) =>
        SearchFolders(appDirectory).Select(f => Path.Combine(f, fileName)).Where(File.Exists).ToList();

    /// <summary>The libtorch backends present, one entry per library file found.</summary>
    public static IReadOnlyList<NativeBackend> FindBackends(string appDirectory) =>
        BackendFileNames()
            .SelectMany(b => Find(appDirectory, b.FileName).Select(path => new NativeBackend(b.Name, path)))
            .ToList();

    /// <summary>The backend file names on this operating system, as the libtorch packages ship them.</summary>
    public static IReadOnlyList<(string Name, string FileName)> BackendFileNames() =>
        OperatingSystem.IsWindows() ? [("CPU", "torch_cpu.dll"), ("CUDA", "torch_cuda.dll")]
        : OperatingSystem.IsMacOS() ? [("CPU", "libtorch_cpu.dylib")]
        : [("CPU", "libtorch_cpu.so"), ("CUDA", "libtorch_cuda.so")];

    /// <summary>The folder itself, then runtimes/*/native for this process's architecture, then the others.</summary>
    private static IEnumerable<string> SearchFolders(string appDirectory)
    {
        yield return appDirectory;
        var runtimes = Path.Combine(appDirectory, "runtimes");
        if (!Directory.Exists(runtimes)) yield break;
        var architecture = "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var natives = Directory.GetDirectories(runtimes)
            .Select(rid => Path.Combine(rid, "native"))
            .Where(Directory.Exists)
            .OrderBy(native => Path.GetFileName(Path.GetDirectoryName(native)!).EndsWith(architecture, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(native => native, StringComparer.Ordinal);
        foreach (var native in natives) yield return native;
    }
}
