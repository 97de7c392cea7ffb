namespace Matryoshka.AspNetCore;

/// <summary>
/// A task scheduler with a fixed set of long-lived threads, one per generation slot, that run the served generations.
/// </summary>
/// <remarks>
/// Why not a new thread per generation: libtorch's tensor buffers come from malloc, glibc gives threads separate malloc
/// arenas (up to 8 per core), and an arena keeps its high-water mark after the buffers are freed. Generations on ever new
/// threads land in one arena after another until every arena has held a generation's working set (16 arenas of about
/// 50 MiB on 2 cores: resident memory climbed from 0.45 to 1.1 GB). The same few threads reuse the same few arenas.
/// Tasks run in the order queued; one cancelled while it waits for a thread ends as cancelled when a thread reaches it,
/// without running (with one thread per slot nothing waits long: a slot is freed only once its generation has ended).
/// After <see cref="Dispose"/> the threads finish what is queued and end, and a task queued later runs on the thread pool.
/// </remarks>
public sealed class GenerationThreads : TaskScheduler, IDisposable
{
    // Guarded by its own lock; the threads wait on it for work.
    private readonly LinkedList<Task> _queue = new();
    private readonly Thread[] _threads;
    private bool _disposed;

    /// <summary>Starts <paramref name="count"/> background threads.</summary>
    /// <param name="count">Threads (≥ 1): the most generations that run at once, as <see cref="GenerationQueue.MaxConcurrent"/>.</param>
    public GenerationThreads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _threads = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            // Background: a generation still running never keeps the process alive.
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"Matryoshka generation {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>The number of threads.</summary>
    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>
    /// Runs <paramref name="generate"/> on one of the threads. Inside it <see cref="TaskScheduler.Current"/> is the default
    /// scheduler, so tasks it starts do not queue behind generations. Cancelled before it starts, it never runs.
    /// </summary>
    public Task<T> Run<T>(Func<T> generate, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(generate, cancellationToken, TaskCreationOptions.HideScheduler, this);

    /// <summary>Lets the threads end once the queued tasks are done (idempotent).</summary>
    public void Dispose()
    {
        lock (_queue)
        {
            _disposed = true;
            Monitor.PulseAll(_queue);
        }
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        lock (_queue)
        {
            if (!_disposed)
            {
                _queue.AddLast(task);
                Monitor.Pulse(_queue);
                return;
            }
        }
        // Shutting down: the request still gets its answer.
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Scheduler.TryExecuteTask(s.Task), (Scheduler: this, Task: task), preferLocal: false);
    }

    /// <summary>Never inline: a generation must run on one of these threads, not on whichever thread waits for it.</summary>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_queue) return _queue.ToArray();
    }

    private void Work()
    {
        while (true)
        {
            Task task;
            lock (_queue)
            {
                while (_queue.First is null)
                {
                    if (_disposed) return;
                    Monitor.Wait(_queue);
                }
                task = _queue.First.Value;
                _queue.RemoveFirst();
            }
            TryExecuteTask(task);
        }
    }
}
