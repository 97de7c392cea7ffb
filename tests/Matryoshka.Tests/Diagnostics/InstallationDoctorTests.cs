using Matryoshka.Diagnostics;
using TorchSharp;
using Xunit;
using static Matryoshka.Tests.Diagnostics.NativeTestFiles;

namespace Matryoshka.Tests.Diagnostics;

/// <summary>The library's doctor, called as an application would, without the CLI.</summary>
public class InstallationDoctorTests
{
    [LinuxFact]
    public void This_process_is_diagnosed_healthy_with_the_facts_it_runs_on()
    {
        var report = InstallationDoctor.Diagnose();

        Assert.True(report.IsHealthy, string.Join("\n", report.Facts) + report.Problem + string.Join("\n", report.NativeLoad.Evidence));
        Assert.Equal((NativeLoadKind.Healthy, ""), (report.NativeLoad.Kind, report.NativeLoad.Fix));
        Assert.Equal(AppContext.BaseDirectory, report.AppDirectory);
        Assert.Equal("0.107.0", report.TorchSharpVersion);
        var cpu = Assert.Single(report.Backends, backend => backend.Name == "CPU");
        Assert.Equal("libtorch_cpu.so", Path.GetFileName(cpu.Path));
        Assert.True(File.Exists(cpu.Path));
        var runtime = report.Runtime!;
        Assert.Equal(torch.__version__, runtime.LibTorchVersion);
        Assert.StartsWith("2.10.0", runtime.LibTorchVersion);
        Assert.Equal((torch.cuda.is_available(), torch.cuda.device_count()), (runtime.CudaAvailable, runtime.CudaDeviceCount));
        Assert.Equal((torch.get_num_threads(), torch.get_num_interop_threads()), (runtime.IntraOpThreads, runtime.InterOpThreads));
        Assert.True(report.SmokeTestPassed);
        Assert.Null(report.Problem);
        Assert.Equal(["Application", "TorchSharp", "Backend", "libstdc++", "Native shim", "libtorch", "CUDA", "Threads", "bfloat16", "Smoke test"],
            report.Facts.Select(fact => fact.Label));
        Assert.Equal(new InstallationFact("Smoke test", "[[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]] on CPU: OK"), report.Facts[^1]);
        // The build patched the output shim exactly when the system libstdc++ lacks the version it names.
        var shim = report.Facts.Single(fact => fact.Label == "Native shim").Value;
        Assert.StartsWith(Path.Combine("runtimes", "linux-x64", "native", "libLibTorchSharp.so"), shim);
        Assert.Contains(SystemHas3432 ? "weak-patched: none; unsatisfied: none" : $"weak-patched: {Glibcxx3432}; unsatisfied: none", shim);
        Assert.Contains(SystemLibStdCxxPath, report.Facts.Single(fact => fact.Label == "libstdc++").Value);
    }

    [Fact]
    public void A_folder_without_native_files_is_missing_its_backend_and_nothing_is_loaded()
    {
        using var temp = new TempFolder();

        var report = InstallationDoctor.Diagnose(temp.Path);

        Assert.False(report.IsHealthy);
        Assert.Equal(NativeLoadKind.MissingBackend, report.NativeLoad.Kind);
        Assert.Contains("libtorch-cpu-linux-x64 2.10.0", report.NativeLoad.Fix);
        Assert.Empty(report.Backends);
        Assert.Null(report.Runtime);
        Assert.False(report.SmokeTestPassed);
        Assert.Equal(new InstallationFact("Backend", "none found (no libtorch_cpu / libtorch_cuda native files)"), report.Facts[2]);
        Assert.Equal(new InstallationFact("libtorch", "not loaded (see below)"), report.Facts[^1]);
    }
}
