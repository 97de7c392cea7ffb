using Matryoshka.Diagnostics;
using Xunit;
using static Matryoshka.Tests.Diagnostics.NativeTestFiles;

namespace Matryoshka.Tests.Diagnostics;

/// <summary>The doctor's cause finding, on made-up application folders and on the real one.</summary>
public class NativeLoadDiagnosisTests
{
    [Fact]
    public void Empty_folder_lacks_a_backend()
    {
        using var temp = new TempFolder();

        var diagnosis = NativeLoadDiagnosis.Diagnose(temp.Path);

        Assert.Equal(NativeLoadKind.MissingBackend, diagnosis.Kind);
        Assert.Contains("libtorch-cpu-linux-x64", diagnosis.Fix);
        Assert.Contains("TorchSharp-cuda-linux", diagnosis.Fix);
        Assert.Contains("TorchSharp-cuda-windows", diagnosis.Fix);
    }

    [LinuxFact]
    public void Backend_without_shim_is_another_problem()
    {
        using var temp = new TempFolder();
        var native = Directory.CreateDirectory(Path.Combine(temp.Path, "runtimes", "linux-x64", "native")).FullName;
        File.WriteAllBytes(Path.Combine(native, "libtorch_cpu.so"), []);

        var diagnosis = NativeLoadDiagnosis.Diagnose(temp.Path);

        Assert.Equal(NativeLoadKind.Other, diagnosis.Kind);
        Assert.Contains(diagnosis.Evidence, e => e.Contains("libLibTorchSharp.so"));
    }

    [LinuxFact]
    public void Unpatched_shim_is_blamed_on_libstdcxx_exactly_when_the_system_lacks_3_4_32()
    {
        using var temp = new TempFolder();
        CopyCachedShim(temp.Path);
        File.WriteAllBytes(temp.File("libtorch_cpu.so"), []);

        var diagnosis = NativeLoadDiagnosis.Diagnose(temp.Path);

        if (SystemHas3432)
        {
            Assert.NotEqual(NativeLoadKind.LibStdCxxTooOld, diagnosis.Kind);
            return;
        }
        Assert.Equal(NativeLoadKind.LibStdCxxTooOld, diagnosis.Kind);
        Assert.Contains(diagnosis.Evidence, e => e.Contains(Glibcxx3432) && e.Contains(SystemLibStdCxxPath));
        Assert.Contains("MatryoshkaSkipNativePatch", diagnosis.Fix);
        Assert.Contains("GCC 13", diagnosis.Fix);
    }

    [LinuxFact]
    public void This_test_run_is_healthy()
    {
        var diagnosis = NativeLoadDiagnosis.Diagnose(AppContext.BaseDirectory);

        Assert.True(diagnosis.Kind == NativeLoadKind.Healthy, string.Join("\n", diagnosis.Evidence));
        Assert.Contains(diagnosis.Evidence, e => e.StartsWith("CPU backend: ", StringComparison.Ordinal));
    }
}
