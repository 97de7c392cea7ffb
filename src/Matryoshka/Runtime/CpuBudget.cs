namespace Matryoshka.Runtime;

/// <summary>
/// The CPUs this process may actually use: its affinity mask and, where a control group sets one, its CPU quota.
/// </summary>
/// <param name="AffinityCpus">CPUs in the process's affinity mask.</param>
/// <param name="QuotaCpus">The cgroup CPU quota in CPUs, or null where none is set.</param>
public sealed record CpuBudget(int AffinityCpus, double? QuotaCpus)
{
    /// <summary>
    /// The intra-op thread count that uses the budget without oversubscribing it: the affinity count, capped by the
    /// quota rounded down (a thread beyond the quota is throttled, and every parallel region waits for it), at least 1.
    /// </summary>
    public int Threads => Math.Max(1, QuotaCpus is double q ? Math.Min(AffinityCpus, (int)Math.Floor(q + 1e-9)) : AffinityCpus);

    /// <summary>Reads this process's budget.</summary>
    public static CpuBudget Read() => new(CpuAffinity.Count(), CpuQuota.Read());

    /// <inheritdoc/>
    public override string ToString() =>
        $"{AffinityCpus} processor(s) in the affinity mask, {(QuotaCpus is double q ? $"cgroup quota {q:0.##} processors" : "no cgroup quota")} → {Threads} thread(s)";
}
