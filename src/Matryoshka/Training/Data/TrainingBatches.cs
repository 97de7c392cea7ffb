using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Runtime.ExceptionServices;

namespace Matryoshka.Training.Data;

/// <summary>
/// An endless, deterministic stream of shuffled batches over an <see cref="ITrainingDataset"/>.
/// </summary>
/// <remarks>
/// <para>
/// Epoch e visits every index once, in a permutation that is a pure function of (<see cref="TrainingBatchesOptions.Seed"/>, e);
/// a sample with several captions uses the one picked by (Seed, e, its offset in the permutation). Samples whose
/// <see cref="ITrainingDataset.Load"/> throws <see cref="InvalidTrainingSampleException"/> are skipped, counted and
/// described, and the next index is taken. Hence the batches depend only on the dataset, the options and the start
/// position: prefetching changes nothing, and a run started at a batch's <see cref="TrainingBatch.After"/> continues
/// with exactly the batches an uninterrupted run would have produced next.
/// </para>
/// <para>
/// With <see cref="TrainingBatchesOptions.PrefetchBatches"/> &gt; 0 one background task loads samples into a bounded
/// queue of finished batches (plain arrays: tensors are created by the caller, on the training thread). Any exception
/// other than <see cref="InvalidTrainingSampleException"/> stops the stream and is rethrown by <see cref="Next"/>
/// once the batches prepared before it are consumed. Use an instance from one thread; dispose it to stop the
/// background task.
/// </para>
/// </remarks>
public sealed class TrainingBatches : IDisposable
{
    private readonly BatchAssembler _assembler;
    private readonly List<string> _skippedDescriptions = [];
    private readonly Dictionary<string, long> _skippedByCategory = new(StringComparer.Ordinal);
    private readonly BlockingCollection<PreparedBatch>? _queue;
    private readonly CancellationTokenSource? _stop;
    private readonly Task? _producer;
    private volatile ExceptionDispatchInfo? _fault;
    private bool _disposed;

    /// <summary>
    /// Creates the stream over <paramref name="dataset"/>, starting at <paramref name="start"/> (the beginning of
    /// epoch 0 by default, or a <see cref="TrainingBatch.After"/> saved with a checkpoint). Prefetching, when enabled,
    /// starts at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or <paramref name="start"/> lies outside the dataset.</exception>
    /// <exception cref="TrainingDataException">The dataset is empty.</exception>
    public TrainingBatches(ITrainingDataset dataset, TrainingBatchesOptions options, DataPosition start = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int count = dataset.Count;
        if (count <= 0)
            throw new TrainingDataException($"The dataset holds {count} samples; training needs at least one.");
        if (start.Epoch < 0 || start.Offset < 0 || start.Offset > count)
            throw new ArgumentOutOfRangeException(nameof(start), start,
                $"A start position needs epoch ≥ 0 and 0 ≤ offset ≤ {count} (the dataset size).");

        Options = options;
        Position = start.Offset == count ? new DataPosition(start.Epoch + 1, 0) : start;
        SkippedDescriptions = _skippedDescriptions.AsReadOnly();
        SkippedSamplesByCategory = _skippedByCategory.AsReadOnly();
        _assembler = new BatchAssembler(dataset, options, start);
        if (options.PrefetchBatches > 0)
        {
            _queue = new BlockingCollection<PreparedBatch>(options.PrefetchBatches);
            _stop = new CancellationTokenSource();
            _producer = Task.Factory.StartNew(Produce, _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>The options in use.</summary>
    public TrainingBatchesOptions Options { get; }

    /// <summary>The position after the last batch returned by <see cref="Next"/> (the start position before the first).</summary>
    public DataPosition Position { get; private set; }

    /// <summary>How many samples the returned batches skipped because they could not be loaded.</summary>
    public long SkippedSamples { get; private set; }

    /// <summary>
    /// <see cref="SkippedSamples"/> by <see cref="InvalidTrainingSampleException.Category"/> (every skip, also beyond
    /// <see cref="MaxSkippedDescriptions"/>; a sample skipped in several epochs counts once per epoch).
    /// </summary>
    public IReadOnlyDictionary<string, long> SkippedSamplesByCategory { get; }

    /// <summary>"sample: problem" for the first <see cref="MaxSkippedDescriptions"/> skipped samples.</summary>
    public IReadOnlyList<string> SkippedDescriptions { get; }

    /// <summary>How many skipped samples <see cref="SkippedDescriptions"/> keeps.</summary>
    public const int MaxSkippedDescriptions = PreparedBatch.MaxDescriptions;

    /// <summary>The next batch; blocks until it is ready.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the position is unchanged.</exception>
    /// <exception cref="TrainingDataException">A whole epoch produced no batch, or samples disagree in shape.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public TrainingBatch Next(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        PreparedBatch prepared;
        if (_queue is null)
        {
            prepared = _assembler.Next(cancellationToken);
        }
        else if (!_queue.TryTake(out prepared!, Timeout.Infinite, cancellationToken))
        {
            // The producer completed the queue: it stopped on an error.
            _fault?.Throw();
            throw new InvalidOperationException("The prefetching task stopped without an error; this is a bug.");
        }

        SkippedSamples += prepared.SkippedCount;
        foreach (var (category, count) in prepared.SkippedByCategory)
            _skippedByCategory[category] = _skippedByCategory.GetValueOrDefault(category) + count;
        foreach (var description in prepared.SkippedDescriptions)
        {
            if (_skippedDescriptions.Count >= MaxSkippedDescriptions)
                break;
            _skippedDescriptions.Add(description);
        }
        Position = prepared.Batch.After;
        return prepared.Batch;
    }

    /// <summary>Stops the background task (waiting at most for the sample it is loading) and releases the queue.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_producer is null)
            return;
        _stop!.Cancel();
        try
        {
            _producer.Wait();
        }
        catch (AggregateException)
        {
            // Produce records its own faults; cancellation is the expected way out.
        }
        _queue!.Dispose();
        _stop.Dispose();
    }

    private void Produce()
    {
        var token = _stop!.Token;
        try
        {
            while (!token.IsCancellationRequested)
                _queue!.Add(_assembler.Next(token), token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception e)
        {
            _fault = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _queue!.CompleteAdding();
        }
    }
}
