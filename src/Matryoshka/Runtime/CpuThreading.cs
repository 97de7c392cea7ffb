using System.Globalization;
using TorchSharp;

namespace Matryoshka.Runtime;

/// <summary>
/// The CPU policy an application applies once, at start-up: an intra-op thread count that fits the CPUs the process
/// may actually use (<see cref="CpuBudget"/>); OpenMP workers that wait passively, so that a busy machine slows
/// generation down in proportion instead of collapsing it (spinning workers fight every other runnable thread); and
/// large tensors on transparent huge pages (docs/performance.md, "Under contention" and "Page faults"). All are
/// process-wide: the library never calls this itself; the CLI does, and an application embedding the library should,
/// as its first statement.
/// </summary>
public static class CpuThreading
{
    private const string WaitPolicyVariable = "OMP_WAIT_POLICY";
    private const string ThreadCountVariable = "OMP_NUM_THREADS";
    private const string HugePagesVariable = "THP_MEM_ALLOC_ENABLE";

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY</c> for libtorch's OpenMP runtime. It reads the variable once, when libtorch loads, so
    /// call this before the first TorchSharp call; a value already in the environment is kept (the user's choice wins).
    /// </summary>
    public static NativeSetting PrepareOpenMp(OpenMpWaitPolicy policy = OpenMpWaitPolicy.Passive) =>
        policy == OpenMpWaitPolicy.Default
            ? new(WaitPolicyVariable, NativeEnvironment.Get(WaitPolicyVariable), false, "left to the environment and the OpenMP runtime")
            : Prepare(WaitPolicyVariable, policy == OpenMpWaitPolicy.Active ? "ACTIVE" : "PASSIVE");

    /// <summary>
    /// Sets <c>THP_MEM_ALLOC_ENABLE=1</c>: libtorch then places tensors of 2 MB and more on transparent huge pages
    /// (2 MB-aligned, <c>madvise(MADV_HUGEPAGE)</c>). A 256² level's activations (16 MB per 16-channel tensor at batch 4)
    /// come from fresh <c>mmap</c>s, and touching them 4 KB page by page cost more time in page faults than the
    /// convolutions themselves (docs/performance.md, "Page faults"). libtorch reads it once, so call this before the
    /// first TorchSharp call; a value already in the environment is kept.
    /// </summary>
    public static NativeSetting PrepareHugePages() => Prepare(HugePagesVariable, "1");

    /// <summary>
    /// Applies <paramref name="options"/>: the wait policy (<see cref="PrepareOpenMp"/>) and huge pages
    /// (<see cref="PrepareHugePages"/>), then libtorch's intra-op thread count. Loads libtorch.
    /// </summary>
    /// <exception cref="MatryoshkaException">The options are invalid.</exception>
    public static CpuThreadingReport Apply(CpuThreadingOptions? options = null)
    {
        options ??= new CpuThreadingOptions();
        options.Validate();
        var openMp = PrepareOpenMp(options.WaitPolicy);
        var hugePages = options.HugePages
            ? PrepareHugePages()
            : new NativeSetting(HugePagesVariable, NativeEnvironment.Get(HugePagesVariable), false, "not requested");
        var budget = CpuBudget.Read();
        var (threads, source) = ChooseThreads(options.IntraOpThreads, NativeEnvironment.Get(ThreadCountVariable), budget);
        torch.set_num_threads(threads);
        return new CpuThreadingReport(threads, source, budget, openMp, hugePages);
    }

    /// <summary>The thread count and where it came from: an explicit request, else a valid <c>OMP_NUM_THREADS</c>, else the budget.</summary>
    public static (int Threads, string Source) ChooseThreads(int? requested, string? ompNumThreads, CpuBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (requested is int r) return (r, "requested");
        // OMP_NUM_THREADS may be a list ("4,2" for nested levels): the first entry is the outer level's.
        var first = ompNumThreads?.Split(',')[0].Trim();
        if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) &&
            fromEnvironment is >= 1 and <= CpuThreadingOptions.MaxThreads)
            return (fromEnvironment, $"{ThreadCountVariable}={ompNumThreads}");
        return (budget.Threads, "affinity and quota");
    }

    /// <summary>What libtorch's threading looks like now, for <c>doctor</c>: threads, budget and the wait policy OpenMP read.</summary>
    public static string Describe() =>
        $"intra-op threads {torch.get_num_threads()}; {CpuBudget.Read()}; " +
        $"{WaitPolicyVariable} {NativeEnvironment.Get(WaitPolicyVariable) ?? "not set (libgomp spins before sleeping)"}; " +
        $"{HugePagesVariable} {NativeEnvironment.Get(HugePagesVariable) ?? "not set (no huge pages for tensors)"}";

    // Sets a variable libtorch (or its OpenMP runtime) reads once at load, unless the user set it or it is too late.
    private static NativeSetting Prepare(string variable, string value)
    {
        var current = NativeEnvironment.Get(variable);
        if (current is not null)
            return new(variable, current, false, "set in the environment before start-up; kept");
        if (NativeEnvironment.IsAnyLoaded("libgomp", "libtorch_cpu", "libc10"))
            return new(variable, null, false,
                $"libtorch was already loaded, too late to set it; set {variable}={value} in the environment before the process starts");
        return NativeEnvironment.Set(variable, value)
            ? new(variable, value, true, "set before libtorch loaded")
            : new(variable, null, false, "libc refused to set it");
    }
}
