namespace Matryoshka.Runtime;

/// <summary>How an application wants libtorch to use the CPU. Applied once, process-wide, by <see cref="CpuThreading.Apply"/>.</summary>
public sealed record CpuThreadingOptions
{
    /// <summary>libtorch's intra-op thread count; null: <c>OMP_NUM_THREADS</c> where the user set it, else <see cref="CpuBudget.Threads"/>.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>How OpenMP workers wait; only takes effect before libtorch loads (see <see cref="CpuThreading.PrepareOpenMp"/>).</summary>
    public OpenMpWaitPolicy WaitPolicy { get; init; } = OpenMpWaitPolicy.Passive;

    /// <summary>Whether libtorch puts large tensors on transparent huge pages (see <see cref="CpuThreading.PrepareHugePages"/>); only takes effect before libtorch loads.</summary>
    public bool HugePages { get; init; } = true;

    /// <summary>The most threads accepted.</summary>
    public const int MaxThreads = 1024;

    /// <summary>Checks the options.</summary>
    /// <exception cref="MatryoshkaException">A thread count outside 1 … <see cref="MaxThreads"/>, or an unknown policy.</exception>
    public void Validate()
    {
        if (IntraOpThreads is < 1 or > MaxThreads)
            throw new MatryoshkaException($"The intra-op thread count must be 1 … {MaxThreads}; got {IntraOpThreads}.");
        if (!Enum.IsDefined(WaitPolicy))
            throw new MatryoshkaException($"Unknown OpenMP wait policy {(int)WaitPolicy}.");
    }
}
