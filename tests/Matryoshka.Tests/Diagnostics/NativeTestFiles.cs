using System.Security.Cryptography;
using Matryoshka.Build;
using Matryoshka.Diagnostics;

namespace Matryoshka.Tests.Diagnostics;

/// <summary>The real native files the diagnostics tests read: the pristine shim, its patched output copy, libstdc++.</summary>
internal static class NativeTestFiles
{
    public const string LibStdCxx = "libstdc++.so.6";
    public const string Glibcxx3432 = "GLIBCXX_3.4.32";

    /// <summary>TorchSharp's libLibTorchSharp.so as restored into the NuGet cache: never patched.</summary>
    public static string CachedShim
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var shim = Path.Combine(packages, "torchsharp", InstallationFacts.TorchSharpVersion(),
                "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            return File.Exists(shim) ? shim : throw new FileNotFoundException("TorchSharp's shim is not in the NuGet cache.", shim);
        }
    }

    /// <summary>The copy of the shim in this test project's build output, patched by the build.</summary>
    public static string OutputShim => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>The system libstdc++ the build's patch measures against.</summary>
    public static string SystemLibStdCxxPath =>
        ElfVersionTables.FindSystemLibrary(LibStdCxx) ?? throw new FileNotFoundException("No system libstdc++.so.6.");

    public static IReadOnlyCollection<string> SystemVersions => ElfVersionTables.ReadVersionDefinitions(SystemLibStdCxxPath);

    public static bool SystemHas3432 => SystemVersions.Contains(Glibcxx3432);

    /// <summary>Copies the pristine shim into <paramref name="folder"/> and returns the copy's path.</summary>
    public static string CopyCachedShim(string folder)
    {
        var copy = Path.Combine(folder, "libLibTorchSharp.so");
        File.Copy(CachedShim, copy);
        return copy;
    }

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
