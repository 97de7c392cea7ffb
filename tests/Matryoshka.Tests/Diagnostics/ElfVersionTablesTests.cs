using System.Runtime.InteropServices;
using Matryoshka.Build;
using Xunit;
using static Matryoshka.Tests.Diagnostics.NativeTestFiles;

namespace Matryoshka.Tests.Diagnostics;

/// <summary>The ELF reader and patcher shared by the build and the doctor, on the real TorchSharp shim.</summary>
public class ElfVersionTablesTests
{
    [LinuxFact]
    public void Shipped_shim_strongly_needs_GLIBCXX_3_4_32()
    {
        using var temp = new TempFolder();
        var needs = ElfVersionTables.ReadVersionNeeds(CopyCachedShim(temp.Path));

        var need = Assert.Single(needs, n => n.Library == LibStdCxx && n.Version == Glibcxx3432);
        Assert.False(need.IsWeak);
        Assert.Contains(needs, n => n.Library == "libc.so.6");
    }

    [LinuxFact]
    public void System_libstdcxx_defines_the_oldest_GLIBCXX_version()
    {
        Assert.Contains("GLIBCXX_3.4", SystemVersions);
    }

    [LinuxFact]
    public void Shipped_shim_has_unsatisfied_needs_exactly_when_the_system_lacks_3_4_32()
    {
        using var temp = new TempFolder();
        var unsatisfied = ElfVersionTables.UnsatisfiedNeeds(CopyCachedShim(temp.Path), LibStdCxx, SystemVersions);

        Assert.Equal(!SystemHas3432, unsatisfied.Count > 0);
        if (!SystemHas3432) Assert.Contains(unsatisfied, n => n.Version == Glibcxx3432);
    }

    [LinuxFact]
    public void MarkWeak_satisfies_the_needs_changes_only_their_flags_and_is_idempotent()
    {
        var cacheHash = Sha256(CachedShim);
        using var temp = new TempFolder();
        var shim = CopyCachedShim(temp.Path);
        var original = File.ReadAllBytes(shim);
        // Debian 12's libstdc++ (up to 3.4.30) on any machine: the system's versions without 3.4.32.
        var debian12 = SystemVersions.Where(v => v != Glibcxx3432).ToHashSet();

        var unsatisfied = ElfVersionTables.UnsatisfiedNeeds(shim, LibStdCxx, debian12);
        Assert.NotEmpty(unsatisfied);
        ElfVersionTables.MarkWeak(shim, unsatisfied);
        var once = File.ReadAllBytes(shim);

        Assert.Empty(ElfVersionTables.UnsatisfiedNeeds(shim, LibStdCxx, debian12));
        Assert.All(ElfVersionTables.ReadVersionNeeds(shim).Where(n => unsatisfied.Any(u => u.FlagsOffset == n.FlagsOffset)),
            n => Assert.True(n.IsWeak));
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != once[i]).Select(i => (long)i).ToHashSet();
        Assert.Equal(unsatisfied.Select(n => n.FlagsOffset).ToHashSet(), changed);

        ElfVersionTables.MarkWeak(shim, ElfVersionTables.ReadVersionNeeds(shim).Where(n => n.Version == Glibcxx3432));
        ElfVersionTables.MarkWeak(shim, unsatisfied);
        Assert.Equal(once, File.ReadAllBytes(shim));
        Assert.Equal(cacheHash, Sha256(CachedShim));
    }

    [LinuxFact]
    public void MarkWeak_on_a_symbolic_link_leaves_its_target_untouched()
    {
        using var temp = new TempFolder();
        var target = CopyCachedShim(temp.Path);
        var targetHash = Sha256(target);
        var link = temp.File("link.so");
        File.CreateSymbolicLink(link, target);

        ElfVersionTables.MarkWeak(link, ElfVersionTables.ReadVersionNeeds(link).Where(n => n.Version == Glibcxx3432));

        Assert.Equal(targetHash, Sha256(target));
        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.All(ElfVersionTables.ReadVersionNeeds(link).Where(n => n.Version == Glibcxx3432), n => Assert.True(n.IsWeak));
    }

    [LinuxFact]
    public void MarkWeak_on_a_hard_link_leaves_the_other_name_untouched()
    {
        using var temp = new TempFolder();
        var cacheLike = CopyCachedShim(temp.Path);
        var cacheHash = Sha256(cacheLike);
        var output = temp.File("output.so");
        Assert.Equal(0, link(cacheLike, output));

        ElfVersionTables.MarkWeak(output, ElfVersionTables.ReadVersionNeeds(output).Where(n => n.Version == Glibcxx3432));

        Assert.Equal(cacheHash, Sha256(cacheLike));
        Assert.NotEqual(cacheHash, Sha256(output));
    }

    [LinuxFact]
    public void Build_output_copy_has_no_unsatisfied_needs()
    {
        Assert.True(File.Exists(OutputShim), $"missing {OutputShim}");
        Assert.Empty(ElfVersionTables.UnsatisfiedNeeds(OutputShim, LibStdCxx, SystemVersions));
        if (!SystemHas3432)
            Assert.Contains(ElfVersionTables.ReadVersionNeeds(OutputShim), n => n.Version == Glibcxx3432 && n.IsWeak);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string newName);
}
