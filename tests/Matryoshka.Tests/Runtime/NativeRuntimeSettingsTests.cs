using System.Diagnostics;
using Matryoshka.Runtime;
using Xunit;

namespace Matryoshka.Tests.Runtime;

/// <summary>
/// The CLI sets OMP_WAIT_POLICY and THP_MEM_ALLOC_ENABLE in the native environment (what libgomp and libtorch read
/// when they load) before anything loads libtorch; the user's own values win; once libtorch is loaded the library says
/// it is too late rather than pretending.
/// </summary>
public sealed class NativeRuntimeSettingsTests
{
    [Fact]
    public void The_cli_makes_openmp_wait_passively_and_tensors_use_huge_pages_unless_the_environment_says_otherwise()
    {
        var defaults = Doctor(null, null);
        Assert.Contains("OMP_WAIT_POLICY PASSIVE", defaults);
        Assert.Contains("THP_MEM_ALLOC_ENABLE 1", defaults);
        var user = Doctor("ACTIVE", "0");
        Assert.Contains("OMP_WAIT_POLICY ACTIVE", user);
        Assert.Contains("THP_MEM_ALLOC_ENABLE 0", user);
    }

    [Fact]
    public void After_libtorch_has_loaded_the_policy_is_not_set_and_the_reason_is_given()
    {
        using (TorchSharp.torch.zeros(1)) { } // libtorch is loaded in this process from here on
        var setup = CpuThreading.PrepareOpenMp(OpenMpWaitPolicy.Passive);
        Assert.False(setup.Applied);
        Assert.True(setup.Explanation.Contains("too late", StringComparison.Ordinal) || setup.Explanation.Contains("kept", StringComparison.Ordinal), setup.Explanation);
        Assert.False(CpuThreading.PrepareOpenMp(OpenMpWaitPolicy.Default).Applied);
        var hugePages = CpuThreading.PrepareHugePages();
        Assert.False(hugePages.Applied);
        Assert.Equal("THP_MEM_ALLOC_ENABLE", hugePages.Variable);
    }

    private static string Doctor(string? waitPolicy, string? hugePages)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Matryoshka.Cli.dll"));
        start.ArgumentList.Add("doctor");
        start.Environment.Remove("OMP_WAIT_POLICY");
        start.Environment.Remove("THP_MEM_ALLOC_ENABLE");
        if (waitPolicy is not null) start.Environment["OMP_WAIT_POLICY"] = waitPolicy;
        if (hugePages is not null) start.Environment["THP_MEM_ALLOC_ENABLE"] = hugePages;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "doctor did not finish");
        return stdout + stderr.Result;
    }
}
