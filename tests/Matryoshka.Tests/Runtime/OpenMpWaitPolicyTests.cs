using System.Diagnostics;
using Matryoshka.Runtime;
using Xunit;

namespace Matryoshka.Tests.Runtime;

/// <summary>
/// The CLI sets OMP_WAIT_POLICY in the native environment (what libgomp reads when libtorch loads) before anything
/// loads libtorch; the user's own value wins; once libtorch is loaded the library says it is too late rather than
/// pretending.
/// </summary>
public sealed class OpenMpWaitPolicyTests
{
    [Fact]
    public void The_cli_makes_openmp_wait_passively_unless_the_environment_says_otherwise()
    {
        Assert.Contains("OMP_WAIT_POLICY PASSIVE", Doctor(null));
        Assert.Contains("OMP_WAIT_POLICY ACTIVE", Doctor("ACTIVE"));
    }

    [Fact]
    public void After_libtorch_has_loaded_the_policy_is_not_set_and_the_reason_is_given()
    {
        using (TorchSharp.torch.zeros(1)) { } // libtorch is loaded in this process from here on
        var setup = CpuThreading.PrepareOpenMp(OpenMpWaitPolicy.Passive);
        Assert.False(setup.Applied);
        Assert.True(setup.Explanation.Contains("too late", StringComparison.Ordinal) || setup.Explanation.Contains("kept", StringComparison.Ordinal), setup.Explanation);
        Assert.False(CpuThreading.PrepareOpenMp(OpenMpWaitPolicy.Default).Applied);
    }

    private static string Doctor(string? waitPolicy)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Matryoshka.Cli.dll"));
        start.ArgumentList.Add("doctor");
        start.Environment.Remove("OMP_WAIT_POLICY");
        if (waitPolicy is not null) start.Environment["OMP_WAIT_POLICY"] = waitPolicy;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "doctor did not finish");
        return stdout + stderr.Result;
    }
}
