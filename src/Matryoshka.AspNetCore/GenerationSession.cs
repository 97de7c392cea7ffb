using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Matryoshka.AspNetCore;

/// <summary>
/// One admitted request: its queue ticket and its cancellation, which fires when the client goes away or the deadline
/// (counted from arrival) passes. Disposing it frees the slot; the caller first waits for the sampler to stop.
/// </summary>
internal sealed class GenerationSession : IDisposable
{
    private readonly HttpContext _http;
    private readonly CancellationTokenSource _cancel;
    private readonly long _start = Stopwatch.GetTimestamp();

    public GenerationSession(HttpContext http, QueueTicket ticket, TimeSpan deadline)
    {
        _http = http;
        Ticket = ticket;
        Deadline = deadline;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        _cancel.CancelAfter(deadline);
        Seed = (ulong)Random.Shared.NextInt64();
    }

    public QueueTicket Ticket { get; }

    public string RequestId => _http.TraceIdentifier;

    public TimeSpan Deadline { get; }

    /// <summary>Used when the request gives none: drawn here so the answer can report it before the image exists.</summary>
    public ulong Seed { get; }

    public CancellationToken Token => _cancel.Token;

    public bool ClientLeft => _http.RequestAborted.IsCancellationRequested;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>The outcome label of a cancellation: the client left, or the deadline passed.</summary>
    public string CancelledOutcome => ClientLeft ? "cancelled" : "timeout";

    /// <summary>Stops the generation (idempotent; safe after disposal).</summary>
    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Frees the slot (idempotent).</summary>
    public void Dispose()
    {
        _cancel.Dispose();
        Ticket.Dispose();
    }
}
