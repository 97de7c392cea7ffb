namespace Matryoshka.AspNetCore;

/// <summary>
/// A request's place in a <see cref="GenerationQueue"/>: position 0 holds a slot, 1 is next in line. Disposing it
/// frees the slot or the place (idempotent).
/// </summary>
public sealed class QueueTicket : IDisposable
{
    private readonly GenerationQueue _queue;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;
    private int _disposed;

    internal QueueTicket(GenerationQueue queue, int position)
    {
        _queue = queue;
        _position = position;
        if (position == 0) _granted.TrySetResult();
    }

    internal LinkedListNode<QueueTicket>? Node { get; set; }

    /// <summary>Guarded by the queue's lock.</summary>
    internal bool HoldsSlot { get; set; }

    /// <summary>When the slot was granted (a <see cref="System.Diagnostics.Stopwatch"/> timestamp); guarded by the queue's lock.</summary>
    internal long SlotSince { get; set; }

    /// <summary>0 while holding a slot; otherwise the place in the waiting line (1 is next).</summary>
    public int Position { get { lock (_gate) return _position; } }

    /// <summary>The current position and a task that completes when it changes (read together, so no change is missed).</summary>
    public (int Position, Task Changed) Observe()
    {
        lock (_gate) return (_position, _changed.Task);
    }

    /// <summary>Waits until this ticket holds a slot.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting (the place is kept until disposal).</exception>
    public Task WaitForSlotAsync(CancellationToken cancellationToken) => _granted.Task.WaitAsync(cancellationToken);

    internal void MoveTo(int position)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_position == position) return;
            _position = position;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (position == 0) _granted.TrySetResult();
        changed.TrySetResult();
    }

    /// <summary>Frees the slot or the place in line.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Leave(this);
    }
}
