namespace Matryoshka.Pipelines;

/// <summary>
/// Counts the generations running on a pipeline so that disposing it cancels them, waits for them, and releases the
/// model only once none uses it (TorchSharp would otherwise fail deep inside with "Tensor invalid -- empty handle").
/// A Dispose called from inside a generation (e.g. from its progress callback) cannot wait for itself: the release
/// then happens when that generation ends.
/// </summary>
internal sealed class PipelineLifetime(Action release) : IDisposable
{
    private readonly object _gate = new();
    private readonly CancellationTokenSource _disposing = new();
    [ThreadStatic] private static PipelineLifetime? _runningOnThisThread;
    private int _active;
    private bool _disposed;
    private bool _released;
    private bool _disposerWaiting;

    /// <summary>Registers a generation; its token is cancelled by <paramref name="cancellationToken"/> or by Dispose.</summary>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public Lease Enter(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(MatryoshkaPipeline));
            _active++;
        }
        var outer = _runningOnThisThread;
        _runningOnThisThread = this;
        return new Lease(this, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token), outer);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _disposing.Cancel();
        lock (_gate)
        {
            // The waiting disposer releases; a generation that ends meanwhile must not release as well.
            if (_runningOnThisThread != this)
            {
                _disposerWaiting = true;
                while (_active > 0) Monitor.Wait(_gate);
                _disposerWaiting = false;
            }
            if (_active > 0 || _released) return;
            _released = true;
        }
        release();
    }

    private void Exit(PipelineLifetime? outer)
    {
        _runningOnThisThread = outer;
        bool releaseNow;
        lock (_gate)
        {
            _active--;
            Monitor.PulseAll(_gate);
            releaseNow = _disposed && _active == 0 && !_released && !_disposerWaiting;
            if (releaseNow) _released = true;
        }
        if (releaseNow) release();
    }

    /// <summary>One running generation.</summary>
    public sealed class Lease(PipelineLifetime owner, CancellationTokenSource linked, PipelineLifetime? outer) : IDisposable
    {
        /// <summary>Cancelled when the caller cancels or the pipeline is disposed.</summary>
        public CancellationToken Token => linked.Token;

        public void Dispose()
        {
            linked.Dispose();
            owner.Exit(outer);
        }
    }
}
