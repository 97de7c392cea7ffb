using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Matryoshka.Tests;

/// <summary>
/// Real PyTorch, run as a Python process: the judge of the checkpoints we export. Debian's <c>python3-torch</c>
/// (1.13) lives in the system Python (<c>/usr/bin/python3</c>), which a <c>python3</c> first on PATH (pyenv, a venv)
/// may not see, so both are tried. Without PyTorch the tests fail, saying how to install it: never a silent skip.
/// </summary>
internal static class PyTorch
{
    private static readonly string[] Interpreters = ["python3", "/usr/bin/python3"];
    private static readonly Lazy<string?> Python = new(Find);

    /// <summary>What <c>fixtures/pytorch/describe_checkpoint.py</c> prints for <paramref name="checkpoint"/>: it loads the file with <c>torch.load(weights_only=True)</c>.</summary>
    public static JsonElement Describe(string checkpoint)
    {
        var python = Python.Value;
        if (python is null)
            Assert.Fail($"PyTorch cannot be imported by any of {string.Join(", ", Interpreters)}: install Debian's python3-torch " +
              "(apt-get install -y python3-torch; .ci/run does it) to run the checks of exported checkpoints against real PyTorch.");
        var script = Path.Combine(AppContext.BaseDirectory, "fixtures", "pytorch", "describe_checkpoint.py");
        var (code, stdout, stderr) = Run(python, script, checkpoint);
        Assert.True(code == 0, $"torch.load(weights_only=True) failed on {checkpoint}:\n{stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static string? Find() =>
        Interpreters.FirstOrDefault(python => Run(python, "-c", "import torch").Code == 0);

    private static (int Code, string Stdout, string Stderr) Run(string python, params string[] arguments)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // One thread: the machine is shared, and loading a checkpoint needs no more.
        start.Environment["OMP_NUM_THREADS"] = "1";
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"{python} did not finish within 2 minutes");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"{python} cannot be started: {e.Message}");
        }
    }
}
