using System.Diagnostics;

namespace Matryoshka.AspNetCore;

/// <summary>
/// A fair (first come, first served) gate in front of the pipeline: at most <see cref="MaxConcurrent"/> generations
/// run at once and at most <see cref="MaxWaiting"/> wait; anyone else is turned away at once (HTTP 429) instead of
/// queueing without bound. Thread-safe; one per application.
/// </summary>
public sealed class GenerationQueue
{
    private readonly object _gate = new();
    private readonly LinkedList<QueueTicket> _waiting = new();
    private int _running;
    private double _averageSeconds;

    /// <summary>Creates a queue.</summary>
    /// <param name="maxConcurrent">Generations at once (≥ 1).</param>
    /// <param name="maxWaiting">Requests that may wait for a slot (≥ 0).</param>
    /// <param name="initialEstimate">Assumed time one generation holds its slot until one has been measured.</param>
    public GenerationQueue(int maxConcurrent, int maxWaiting, TimeSpan initialEstimate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWaiting);
        MaxConcurrent = maxConcurrent;
        MaxWaiting = maxWaiting;
        _averageSeconds = Math.Max(initialEstimate.TotalSeconds, 0.1);
    }

    /// <summary>Generations allowed at once.</summary>
    public int MaxConcurrent { get; }

    /// <summary>Requests allowed to wait.</summary>
    public int MaxWaiting { get; }

    /// <summary>Generations holding a slot now.</summary>
    public int Running { get { lock (_gate) return _running; } }

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting { get { lock (_gate) return _waiting.Count; } }

    /// <summary>
    /// How long a turned-away client should wait before trying again: the measured time per generation times the
    /// generations ahead, per slot (at least one second).
    /// </summary>
    public TimeSpan RetryAfter
    {
        get
        {
            lock (_gate)
                return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(_averageSeconds * (_running + _waiting.Count) / MaxConcurrent)));
        }
    }

    /// <summary>
    /// Takes a slot, or a place in the waiting line; false when both are full. Dispose the ticket when done (or when
    /// the client goes away): that frees the slot or the place for the next request.
    /// </summary>
    public bool TryEnter(out QueueTicket ticket)
    {
        lock (_gate)
        {
            if (_running < MaxConcurrent && _waiting.Count == 0)
            {
                _running++;
                ticket = new QueueTicket(this, position: 0) { SlotSince = Stopwatch.GetTimestamp() };
                ticket.HoldsSlot = true;
                return true;
            }
            if (_waiting.Count < MaxWaiting)
            {
                ticket = new QueueTicket(this, position: _waiting.Count + 1);
                ticket.Node = _waiting.AddLast(ticket);
                return true;
            }
        }
        ticket = null!;
        return false;
    }

    /// <summary>Frees the ticket's slot or place; whether it holds a slot is decided under the lock, so a ticket promoted
    /// at the same moment it is disposed cannot leak its slot.</summary>
    internal void Leave(QueueTicket ticket)
    {
        var moved = new List<(QueueTicket Ticket, int Position)>();
        lock (_gate)
        {
            if (ticket.HoldsSlot)
            {
                ticket.HoldsSlot = false;
                _running--;
                // A moving average: recent generations say most about the next ones.
                var held = Stopwatch.GetElapsedTime(ticket.SlotSince).TotalSeconds;
                _averageSeconds = 0.7 * _averageSeconds + 0.3 * Math.Max(held, 0.01);
            }
            else if (ticket.Node is { List: not null } node)
            {
                _waiting.Remove(node);
            }
            while (_running < MaxConcurrent && _waiting.First is { } first)
            {
                _waiting.RemoveFirst();
                _running++;
                first.Value.HoldsSlot = true;
                first.Value.SlotSince = Stopwatch.GetTimestamp();
                moved.Add((first.Value, 0));
            }
            int position = 1;
            foreach (var waiting in _waiting) moved.Add((waiting, position++));
        }
        // Outside the lock: waking a waiter runs no continuation inline (RunContinuationsAsynchronously), but stay safe.
        foreach (var (t, p) in moved) t.MoveTo(p);
    }
}
