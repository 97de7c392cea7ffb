using Matryoshka.Cli.Commands;
using Xunit;

namespace Matryoshka.Tests.Diagnostics;

/// <summary><c>matryoshka doctor</c> end to end, in this process, whose native files the build patched.</summary>
public class DoctorCommandTests
{
    [LinuxFact]
    public void Doctor_reports_a_healthy_installation_and_exits_0()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exitCode = DoctorCommand.Run(stdout, stderr);

        var report = stdout.ToString();
        Assert.True(exitCode == 0, report + stderr);
        Assert.Equal("", stderr.ToString());
        Assert.Contains("TorchSharp   0.107.0", report);
        Assert.Contains("libtorch     2.10", report);
        Assert.Contains("CUDA", report);
        Assert.Contains("libtorch_cpu.so", report);
        Assert.Contains("[[19,22],[43,50]] on CPU: OK", report);
        Assert.Contains("Healthy", report);
    }
}
