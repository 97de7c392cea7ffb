using System.Globalization;
using TorchSharp;

namespace Matryoshka.Runtime;

/// <summary>
/// The CPU threading policy an application applies once, at start-up: an intra-op thread count that fits the CPUs the
/// process may actually use (<see cref="CpuBudget"/>), and OpenMP workers that wait passively, so that a busy machine
/// slows generation down in proportion instead of collapsing it (spinning workers fight every other runnable thread;
/// docs/performance.md, "Under contention"). Both are process-wide: the library never calls this itself; the CLI does,
/// and an application embedding the library should, as its first statement.
/// </summary>
public static class CpuThreading
{
    private const string WaitPolicyVariable = "OMP_WAIT_POLICY";
    private const string ThreadCountVariable = "OMP_NUM_THREADS";

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY</c> for libtorch's OpenMP runtime. It reads the variable once, when libtorch loads, so
    /// call this before the first TorchSharp call; a value already in the environment is kept (the user's choice wins).
    /// </summary>
    public static OpenMpSetup PrepareOpenMp(OpenMpWaitPolicy policy = OpenMpWaitPolicy.Passive)
    {
        var current = NativeEnvironment.Get(WaitPolicyVariable);
        if (policy == OpenMpWaitPolicy.Default)
            return new(policy, current, false, "left to the environment and the OpenMP runtime");
        if (current is not null)
            return new(policy, current, false, "set in the environment before start-up; kept");
        if (NativeEnvironment.IsLoaded("libgomp") || NativeEnvironment.IsLoaded("libtorch_cpu"))
            return new(policy, null, false,
                $"libtorch was already loaded, too late to set it; set {WaitPolicyVariable}={Value(policy)} in the environment before the process starts");
        var value = Value(policy);
        return NativeEnvironment.Set(WaitPolicyVariable, value)
            ? new(policy, value, true, "set before libtorch loaded")
            : new(policy, null, false, "libc refused to set it");
    }

    /// <summary>
    /// Applies <paramref name="options"/>: the wait policy (<see cref="PrepareOpenMp"/>), then libtorch's intra-op
    /// thread count. Loads libtorch.
    /// </summary>
    /// <exception cref="MatryoshkaException">The options are invalid.</exception>
    public static CpuThreadingReport Apply(CpuThreadingOptions? options = null)
    {
        options ??= new CpuThreadingOptions();
        options.Validate();
        var openMp = PrepareOpenMp(options.WaitPolicy);
        var budget = CpuBudget.Read();
        var (threads, source) = ChooseThreads(options.IntraOpThreads, NativeEnvironment.Get(ThreadCountVariable), budget);
        torch.set_num_threads(threads);
        return new CpuThreadingReport(threads, source, budget, openMp);
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
        $"{WaitPolicyVariable} {NativeEnvironment.Get(WaitPolicyVariable) ?? "not set (libgomp spins before sleeping)"}";

    private static string Value(OpenMpWaitPolicy policy) => policy == OpenMpWaitPolicy.Active ? "ACTIVE" : "PASSIVE";
}
