namespace Matryoshka.Runtime;

/// <summary>What <see cref="CpuThreading.Apply"/> chose.</summary>
/// <param name="IntraOpThreads">libtorch's intra-op thread count now.</param>
/// <param name="Source">Where that count came from (the options, <c>OMP_NUM_THREADS</c>, or the CPU budget).</param>
/// <param name="Budget">The CPUs the process may use.</param>
/// <param name="OpenMp">The wait policy's outcome.</param>
/// <param name="HugePages">The huge-page setting's outcome.</param>
public sealed record CpuThreadingReport(int IntraOpThreads, string Source, CpuBudget Budget, NativeSetting OpenMp, NativeSetting HugePages)
{
    /// <inheritdoc/>
    public override string ToString() => $"{IntraOpThreads} intra-op thread(s) ({Source}); {Budget}; {OpenMp}; {HugePages}";
}
