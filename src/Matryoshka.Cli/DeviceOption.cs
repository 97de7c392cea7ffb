using System.CommandLine;

namespace Matryoshka.Cli;

/// <summary>The <c>--device</c> option every computing command takes (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>).</summary>
internal static class DeviceOption
{
    /// <summary>A fresh option (System.CommandLine options belong to one command).</summary>
    public static Option<string?> Create() => new("--device")
    {
        Description = "Where to compute: cpu, cuda or cuda:N (needs a CUDA backend package, see docs/packages.md); default: the model's, else cpu.",
    };
}
