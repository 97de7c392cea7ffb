using System.Runtime;

namespace Matryoshka.Training.Runs;

/// <summary>
/// Keeps the garbage collector out of one training step. TorchSharp 0.107 creates an implicit native Scalar for
/// every number in tensor arithmetic — including the hidden <c>alpha = 1</c> of every <c>a + b</c> — and frees it from a
/// finalizer that can run while libtorch still reads it, which crashes long runs every few hundred steps
/// (docs/troubleshooting.md). With no collection during the step no such Scalar can be finalized early; the ones it
/// leaves behind are collected after the step, when their native calls are long finished.
/// </summary>
internal sealed class NoGarbageCollectionRegion : IDisposable
{
    // Managed allocations of one step (tensor wrappers, the data loader's next batches) stay far below this.
    private const long Budget = 128L << 20;

    private readonly bool _entered;

    private NoGarbageCollectionRegion(bool entered) => _entered = entered;

    /// <summary>Enters a no-GC region if none is active; never throws (a step simply runs unprotected if it cannot).</summary>
    public static NoGarbageCollectionRegion Enter()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new(false);
        try { return new(GC.TryStartNoGCRegion(Budget)); }
        catch (ArgumentOutOfRangeException) { return new(false); } // budget larger than this GC configuration allows
        catch (InvalidOperationException) { return new(false); }
    }

    /// <summary>Leaves the region (if the budget was exceeded the runtime already left it and collected).</summary>
    public void Dispose()
    {
        if (!_entered || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try { GC.EndNoGCRegion(); }
        catch (InvalidOperationException) { }
    }
}
