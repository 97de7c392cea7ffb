using Matryoshka.Build;

namespace Matryoshka.Diagnostics;

/// <summary>The system's libstdc++.so.6 and the symbol versions it defines.</summary>
/// <param name="Path">Where it was found.</param>
/// <param name="Versions">Every version it defines (GLIBCXX_*, CXXABI_*, ...).</param>
internal sealed record SystemLibStdCxx(string Path, IReadOnlyCollection<string> Versions)
{
    /// <summary>The soname that TorchSharp's shim and the loader use.</summary>
    public const string Soname = "libstdc++.so.6";

    /// <summary>The newest GLIBCXX version it defines, e.g. GLIBCXX_3.4.30 on Debian 12.</summary>
    public string? NewestGlibcxx => GlibcxxVersions.Newest(Versions);

    /// <summary>The system libstdc++ on Linux; null elsewhere or when none is found in the usual folders.</summary>
    /// <exception cref="InvalidDataException">The file found is not a readable 64-bit ELF library.</exception>
    public static SystemLibStdCxx? Find()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var path = ElfVersionTables.FindSystemLibrary(Soname);
        return path is null ? null : new SystemLibStdCxx(path, ElfVersionTables.ReadVersionDefinitions(path));
    }
}
