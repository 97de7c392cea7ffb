using System.CommandLine;
using Matryoshka.Runtime;

namespace Matryoshka.Cli;

/// <summary>The <c>--threads</c> option of the computing commands, and the process-wide policy it applies (the application's to set, never the library's).</summary>
internal static class ThreadsOption
{
    /// <summary>A fresh option (System.CommandLine options belong to one command).</summary>
    public static Option<int?> Create() => new("--threads")
    {
        Description = "CPU threads for torch (default: OMP_NUM_THREADS, else the CPUs this process may use: affinity mask and cgroup quota). OpenMP waits passively unless OMP_WAIT_POLICY is set; large tensors use huge pages unless THP_MEM_ALLOC_ENABLE is set.",
    };

    /// <summary>Applies the policy; false (after saying why on <paramref name="stderr"/>) when the count is invalid.</summary>
    public static bool TryApply(int? threads, TextWriter stderr)
    {
        try
        {
            CpuThreading.Apply(new CpuThreadingOptions { IntraOpThreads = threads });
            return true;
        }
        catch (MatryoshkaException e)
        {
            stderr.WriteLine($"--threads: {e.Message}");
            return false;
        }
    }
}
