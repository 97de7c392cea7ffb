using Matryoshka.Runtime;
using Xunit;

namespace Matryoshka.Tests.Runtime;

/// <summary>The thread count follows the CPUs the process may use: affinity mask and cgroup quota, closed-form cases and this machine.</summary>
public sealed class CpuBudgetTests
{
    [Theory]
    [InlineData("max 100000", null)]
    [InlineData("150000 100000", 1.5)]
    [InlineData("200000 100000\n", 2.0)]
    [InlineData("50000 100000", 0.5)]
    [InlineData("garbage", null)]
    [InlineData("-5 100000", null)]
    [InlineData("", null)]
    public void Cgroup_v2_cpu_max_reads_as_processors(string text, double? expected) => Assert.Equal(expected, CpuQuota.ParseCpuMax(text));

    [Theory]
    [InlineData("-1", "100000", null)]
    [InlineData("300000", "100000", 3.0)]
    [InlineData("25000", "50000", 0.5)]
    public void Cgroup_v1_quota_and_period_read_as_processors(string quota, string period, double? expected) =>
        Assert.Equal(expected, CpuQuota.ParseCfs(quota, period));

    [Theory]
    [InlineData(2, null, 2)]
    [InlineData(4, 1.5, 1)]   // a second thread would be throttled
    [InlineData(8, 16.0, 8)]  // the mask is tighter
    [InlineData(2, 0.5, 1)]   // never below one
    [InlineData(16, 4.0, 4)]
    public void Threads_are_the_mask_capped_by_the_quota_rounded_down(int affinity, double? quota, int expected) =>
        Assert.Equal(expected, new CpuBudget(affinity, quota).Threads);

    [Fact]
    public void The_tightest_quota_on_the_cgroup_path_wins()
    {
        using var folder = new TempFolder();
        var proc = Path.Combine(folder.Path, "cgroup");
        File.WriteAllText(proc, "0::/outer/inner\n");
        var root = Path.Combine(folder.Path, "fs");
        Directory.CreateDirectory(Path.Combine(root, "outer", "inner"));
        File.WriteAllText(Path.Combine(root, "cpu.max"), "max 100000\n");
        File.WriteAllText(Path.Combine(root, "outer", "cpu.max"), "150000 100000\n");
        File.WriteAllText(Path.Combine(root, "outer", "inner", "cpu.max"), "300000 100000\n");
        Assert.Equal(1.5, CpuQuota.Read(proc, root));
    }

    [Fact]
    public void A_cgroup_v1_cpu_controller_is_read_from_its_own_mount()
    {
        using var folder = new TempFolder();
        var proc = Path.Combine(folder.Path, "cgroup");
        File.WriteAllText(proc, "5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n");
        var root = Path.Combine(folder.Path, "fs");
        var container = Path.Combine(root, "cpu,cpuacct", "docker", "abc");
        Directory.CreateDirectory(container);
        File.WriteAllText(Path.Combine(container, "cpu.cfs_quota_us"), "200000\n");
        File.WriteAllText(Path.Combine(container, "cpu.cfs_period_us"), "100000\n");
        Assert.Equal(2.0, CpuQuota.Read(proc, root));
    }

    [Fact]
    public void No_cgroup_file_means_no_quota_and_a_path_escaping_the_mount_is_ignored()
    {
        using var folder = new TempFolder();
        Assert.Null(CpuQuota.Read(Path.Combine(folder.Path, "missing"), folder.Path));
        var proc = Path.Combine(folder.Path, "cgroup");
        File.WriteAllText(proc, "0::/../../etc\n");
        Assert.Null(CpuQuota.Read(proc, folder.Path));
    }

    [Fact]
    public void The_affinity_count_matches_the_kernels_allowed_list()
    {
        Assert.Equal(3, CpuAffinity.CountBits(new byte[] { 0b101, 0, 0b1 }));
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return; // Linux only; elsewhere the count is ProcessorCount by construction
        var list = File.ReadLines(status).Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim();
        int expected = list.Split(',').Sum(range =>
        {
            var ends = range.Split('-').Select(int.Parse).ToArray();
            return ends.Length == 1 ? 1 : ends[1] - ends[0] + 1;
        });
        Assert.Equal(expected, CpuAffinity.Count());
    }

    [Theory]
    [InlineData(3, null, 3, "requested")]
    [InlineData(null, "1", 1, "OMP_NUM_THREADS=1")]
    [InlineData(null, "4,2", 4, "OMP_NUM_THREADS=4,2")]
    [InlineData(null, "zero", 2, "affinity and quota")]
    [InlineData(null, "0", 2, "affinity and quota")]
    [InlineData(null, null, 2, "affinity and quota")]
    public void An_explicit_count_wins_then_OMP_NUM_THREADS_then_the_budget(int? requested, string? environment, int threads, string source)
    {
        var chosen = CpuThreading.ChooseThreads(requested, environment, new CpuBudget(4, 2.0));
        Assert.Equal((threads, source), chosen);
    }

    [Fact]
    public void Invalid_thread_counts_are_refused_by_name()
    {
        var e = Assert.Throws<MatryoshkaException>(() => new CpuThreadingOptions { IntraOpThreads = 0 }.Validate());
        Assert.Contains("1 … 1024", e.Message);
        Assert.Throws<MatryoshkaException>(() => new CpuThreadingOptions { WaitPolicy = (OpenMpWaitPolicy)7 }.Validate());
    }
}
