namespace Matryoshka.Diagnostics;

/// <summary>The advice printed for each native load failure; docs/troubleshooting.md explains each at length.</summary>
internal static class DiagnosisFixes
{
    private const string SeeAlso = "See docs/troubleshooting.md.";

    /// <summary>For <see cref="NativeLoadKind.MissingBackend"/>.</summary>
    public const string MissingBackend =
        "TorchSharp is only the managed binding; the application must also reference one libtorch backend package:\n" +
        "  CPU, Linux x64:  libtorch-cpu-linux-x64 2.10.0 (or TorchSharp-cpu 0.107.0, which bundles TorchSharp and the CPU backend)\n" +
        "  CUDA, Linux:     TorchSharp-cuda-linux 0.107.0\n" +
        "  CUDA, Windows:   TorchSharp-cuda-windows 0.107.0\n" +
        "e.g. <PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" />, then rebuild. " + SeeAlso;

    /// <summary>For a backend without TorchSharp's shim (reported as <see cref="NativeLoadKind.Other"/>).</summary>
    public const string MissingShim =
        "Reference the TorchSharp package 0.107.0 (directly or through TorchSharp-cpu / TorchSharp-cuda-*), restore and rebuild; " +
        "its runtimes/<rid>/native folder carries the shim. " + SeeAlso;

    /// <summary>For <see cref="NativeLoadKind.Other"/>: the loader's message names the real problem.</summary>
    public const string Other =
        "The loader's message above names the file or symbol that is missing. Check that all native files came from matching " +
        "packages (TorchSharp 0.107.0 with libtorch 2.10.0) and that the files are complete; on Linux, LD_DEBUG=libs traces the search. " + SeeAlso;

    /// <summary>For <see cref="NativeLoadKind.LibStdCxxTooOld"/>, naming the missing versions.</summary>
    public static string LibStdCxxTooOld(string missingVersions) =>
        $"TorchSharp's shim needs {missingVersions} only for a symbol it never uses, so marking the need weak is safe. " +
        "The Matryoshka package does this to the copy in the output folder after Build and Publish on Linux, for every " +
        "application that references it directly or through another Matryoshka package (its buildTransitive targets; in this " +
        "repository, Directory.Build.targets): rebuild or republish, and do not set MatryoshkaSkipNativePatch=true. An " +
        "application that uses TorchSharp without our packages can reference the Matryoshka package for the fix, or install " +
        "a libstdc++ from GCC 13 or newer. " + SeeAlso;
}
