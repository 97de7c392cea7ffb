using System.Globalization;

namespace Matryoshka.Runtime;

/// <summary>
/// The CPU time a Linux control group lets this process use, in CPUs (a quota of 150 ms per 100 ms period is 1.5).
/// Containers, CI runners and systemd services set one; <see cref="Environment.ProcessorCount"/> rounds it up,
/// which hands libtorch a thread more than the quota pays for, and the throttled thread then stalls every parallel
/// region.
/// </summary>
public static class CpuQuota
{
    /// <summary>The tightest quota on the path from this process's cgroup to the root, or null where none is set (or not Linux).</summary>
    public static double? Read() => Read("/proc/self/cgroup", "/sys/fs/cgroup");

    /// <summary>As <see cref="Read()"/>, from the given files (for tests).</summary>
    /// <param name="procSelfCgroup">The process's cgroup membership file (<c>/proc/self/cgroup</c>).</param>
    /// <param name="cgroupRoot">Where the cgroup file systems are mounted (<c>/sys/fs/cgroup</c>).</param>
    public static double? Read(string procSelfCgroup, string cgroupRoot)
    {
        try
        {
            if (!File.Exists(procSelfCgroup)) return null;
            double? tightest = null;
            foreach (var line in File.ReadLines(procSelfCgroup).Take(64))
            {
                // "0::/user.slice/x.scope" (v2) or "4:cpu,cpuacct:/docker/abc" (v1).
                var parts = line.Split(':', 3);
                if (parts.Length != 3) continue;
                bool v2 = parts[0] == "0" && parts[1].Length == 0;
                bool v1Cpu = parts[1].Split(',').Contains("cpu");
                if (!v2 && !v1Cpu) continue;
                var mount = v2 ? cgroupRoot : FirstExisting(Path.Combine(cgroupRoot, "cpu,cpuacct"), Path.Combine(cgroupRoot, "cpu"));
                if (mount is null) continue;
                foreach (var directory in SelfAndParents(mount, parts[2]))
                {
                    double? quota = v2
                        ? ParseCpuMax(ReadSmall(Path.Combine(directory, "cpu.max")))
                        : ParseCfs(ReadSmall(Path.Combine(directory, "cpu.cfs_quota_us")), ReadSmall(Path.Combine(directory, "cpu.cfs_period_us")));
                    if (quota is double q && (tightest is null || q < tightest)) tightest = q;
                }
            }
            return tightest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // a quota we cannot read is one we cannot honour: the affinity mask still applies
        }
    }

    /// <summary>Parses cgroup v2's <c>cpu.max</c> ("max 100000" = no quota, "150000 100000" = 1.5 CPUs).</summary>
    public static double? ParseCpuMax(string? text)
    {
        var fields = text?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields is not { Length: 2 } || fields[0] == "max") return null;
        return Ratio(fields[0], fields[1]);
    }

    /// <summary>Parses cgroup v1's <c>cpu.cfs_quota_us</c> and <c>cpu.cfs_period_us</c> (quota −1 = none).</summary>
    public static double? ParseCfs(string? quota, string? period) =>
        quota is null || period is null || quota.Trim() == "-1" ? null : Ratio(quota.Trim(), period.Trim());

    private static double? Ratio(string quota, string period) =>
        long.TryParse(quota, NumberStyles.None, CultureInfo.InvariantCulture, out var q) &&
        long.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && q > 0 && p > 0
            ? (double)q / p
            : null;

    private static IEnumerable<string> SelfAndParents(string mount, string relative)
    {
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s == "..")) yield break;
        for (int n = segments.Length; n >= 0; n--)
            yield return Path.Combine([mount, .. segments.Take(n)]);
    }

    private static string? FirstExisting(params string[] directories) => directories.FirstOrDefault(Directory.Exists);

    // Control files are one short line; anything longer is not one.
    private static string? ReadSmall(string path)
    {
        if (!File.Exists(path)) return null;
        using var reader = new StreamReader(path);
        var buffer = new char[256];
        int read = reader.ReadBlock(buffer, 0, buffer.Length);
        return read == buffer.Length ? null : new string(buffer, 0, read).Trim();
    }
}
