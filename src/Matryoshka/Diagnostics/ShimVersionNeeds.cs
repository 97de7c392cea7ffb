using Matryoshka.Build;

namespace Matryoshka.Diagnostics;

/// <summary>What TorchSharp's native shim requires of libstdc++, measured against what the system offers.</summary>
/// <param name="Path">The shim file read (libLibTorchSharp.so).</param>
/// <param name="Needs">Its version requirements on libstdc++.so.6.</param>
/// <param name="Unsatisfied">The strong requirements the system libstdc++ lacks: these make the loader refuse the file.</param>
internal sealed record ShimVersionNeeds(string Path, IReadOnlyList<ElfVersionNeed> Needs, IReadOnlyList<ElfVersionNeed> Unsatisfied)
{
    /// <summary>Requirements marked weak, by the build's native patch (the shipped file has none).</summary>
    public IReadOnlyList<ElfVersionNeed> Weak => Needs.Where(n => n.IsWeak).ToList();

    /// <summary>The newest GLIBCXX version the shim requires, weak or not.</summary>
    public string? NewestNeeded => GlibcxxVersions.Newest(Needs.Select(n => n.Version));

    /// <summary>Reads the shim's libstdc++ requirements and checks them against <paramref name="libStdCxx"/>.</summary>
    /// <exception cref="InvalidDataException">The shim is not a readable 64-bit ELF file.</exception>
    /// <exception cref="IOException">The shim cannot be read.</exception>
    public static ShimVersionNeeds Read(string shimPath, SystemLibStdCxx libStdCxx)
    {
        var needs = ElfVersionTables.ReadVersionNeeds(shimPath).Where(n => n.Library == SystemLibStdCxx.Soname).ToList();
        return new ShimVersionNeeds(shimPath, needs, ElfVersionTables.UnsatisfiedNeeds(needs, SystemLibStdCxx.Soname, libStdCxx.Versions));
    }
}
