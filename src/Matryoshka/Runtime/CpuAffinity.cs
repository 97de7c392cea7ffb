using System.Numerics;
using System.Runtime.InteropServices;

namespace Matryoshka.Runtime;

/// <summary>How many CPUs the scheduler lets this process run on (its affinity mask: <c>taskset</c>, cpusets).</summary>
public static class CpuAffinity
{
    /// <summary>The number of CPUs in this process's affinity mask; <see cref="Environment.ProcessorCount"/> where the mask cannot be read.</summary>
    public static int Count()
    {
        if (!OperatingSystem.IsLinux()) return Environment.ProcessorCount;
        var mask = new byte[MaskBytes];
        try
        {
            if (SchedGetAffinity(0, (nuint)mask.Length, mask) != 0) return Environment.ProcessorCount;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Environment.ProcessorCount;
        }
        return Math.Max(1, CountBits(mask));
    }

    /// <summary>The number of set bits in a CPU mask.</summary>
    public static int CountBits(ReadOnlySpan<byte> mask)
    {
        int count = 0;
        foreach (var b in mask) count += BitOperations.PopCount(b);
        return count;
    }

    private const int MaskBytes = 1024; // 8,192 CPUs: glibc's CPU_SETSIZE is 1,024, the kernel accepts any larger buffer

    [DllImport("libc", EntryPoint = "sched_getaffinity")]
    private static extern int SchedGetAffinity(int pid, nuint size, [Out] byte[] mask);
}
