namespace Matryoshka.Training.Data;

/// <summary>
/// Walks the data stream sample by sample and builds batches. Its output is a pure function of the dataset, the
/// options and the starting position, which is what makes prefetching invisible and resuming exact. Not thread-safe:
/// one thread (the caller or the prefetcher) uses it at a time.
/// </summary>
internal sealed class BatchAssembler
{
    private readonly ITrainingDataset _dataset;
    private readonly TrainingBatchesOptions _options;
    private readonly int _count;
    private Cursor _cursor;
    private int[]? _permutation;
    private long _permutationEpoch = -1;

    public BatchAssembler(ITrainingDataset dataset, TrainingBatchesOptions options, DataPosition start)
    {
        _dataset = dataset;
        _options = options;
        _count = dataset.Count;
        _cursor = new Cursor(start.Epoch, start.Offset, FromEpochStart: start.Offset == 0, BatchesInEpoch: 0, LoadedInEpoch: 0);
        Normalize(ref _cursor);
    }

    /// <summary>
    /// Builds the next batch. The position only advances when a batch is complete, so a cancelled or failed call
    /// leaves the stream where it was.
    /// </summary>
    public PreparedBatch Next(CancellationToken cancellationToken)
    {
        var cursor = _cursor;
        var samples = new List<(TrainingSample Sample, int Index, long Offset)>(_options.BatchSize);
        var skipped = new List<string>();
        long skippedCount = 0;
        var byCategory = new Dictionary<string, long>(StringComparer.Ordinal);
        while (samples.Count < _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (cursor.Offset == _count)
            {
                if (samples.Count > 0 && !_options.DropLast)
                    break;
                FinishEpoch(cursor, skipped);
                samples.Clear(); // DropLast: an epoch's incomplete tail never mixes with the next epoch.
                cursor = new Cursor(cursor.Epoch + 1, 0, FromEpochStart: true, BatchesInEpoch: 0, LoadedInEpoch: 0);
                continue;
            }

            long offset = cursor.Offset;
            int index = PermutationOf(cursor.Epoch)[offset];
            cursor = cursor with { Offset = offset + 1 };
            try
            {
                samples.Add((_dataset.Load(index), index, offset));
                cursor = cursor with { LoadedInEpoch = cursor.LoadedInEpoch + 1 };
            }
            catch (InvalidTrainingSampleException e)
            {
                skippedCount++;
                byCategory[e.Category] = byCategory.GetValueOrDefault(e.Category) + 1;
                if (skipped.Count < PreparedBatch.MaxDescriptions)
                    skipped.Add($"{_dataset.Describe(index)}: {e.Problem}");
            }
        }

        var batch = Build(samples, cursor.Epoch);
        cursor = cursor with { BatchesInEpoch = cursor.BatchesInEpoch + 1 };
        Normalize(ref cursor);
        _cursor = cursor;
        return new PreparedBatch(batch with { After = new DataPosition(cursor.Epoch, cursor.Offset) }, skippedCount, skipped, byCategory);
    }

    /// <summary>An epoch read from its start that produced no batch would repeat forever: refuse it.</summary>
    private void FinishEpoch(Cursor cursor, List<string> skipped)
    {
        if (!cursor.FromEpochStart || cursor.BatchesInEpoch > 0)
            return;
        if (cursor.LoadedInEpoch == 0)
        {
            string examples = skipped.Count == 0 ? "" : $" First failures: {string.Join("; ", skipped.Take(3))}";
            throw new TrainingDataException(
                $"Every one of the {_count} samples failed to load in epoch {cursor.Epoch}; there is nothing to train on.{examples}");
        }
        throw new TrainingDataException(
            $"Epoch {cursor.Epoch} yielded only {cursor.LoadedInEpoch} usable samples of {_count}, fewer than the batch size " +
            $"{_options.BatchSize}, and DropLast discards incomplete batches: no batch can ever be produced. " +
            "Lower the batch size, set DropLast = false, or fix the failing samples." +
            (skipped.Count == 0 ? "" : $" Skipped: {string.Join("; ", skipped)}"));
    }

    /// <summary>Copies the samples into one batch, checking that they agree in shape and in carrying labels.</summary>
    private TrainingBatch Build(List<(TrainingSample Sample, int Index, long Offset)> samples, long epoch)
    {
        var first = samples[0];
        long perSample = CheckShape(first.Sample, first.Index);
        int channels = first.Sample.Channels, height = first.Sample.Height, width = first.Sample.Width;
        bool labelled = first.Sample.Label.HasValue;
        long total = perSample * samples.Count;
        if (total > TrainingBatchesOptions.MaxBatchValues)
            throw new TrainingDataException(
                $"A batch of {samples.Count} samples of {channels}×{height}×{width} holds {total} values, more than one array can.");

        var pixels = new float[total];
        var captions = new string[samples.Count];
        var labels = labelled ? new int[samples.Count] : null;
        for (int i = 0; i < samples.Count; i++)
        {
            var (sample, index, offset) = samples[i];
            CheckShape(sample, index);
            if (sample.Channels != channels || sample.Height != height || sample.Width != width)
                throw new TrainingDataException(
                    $"Sample {index} ({_dataset.Describe(index)}) is {sample.Channels}×{sample.Height}×{sample.Width} but sample " +
                    $"{first.Index} of the same batch is {channels}×{height}×{width}; every sample must have one shape.");
            if (sample.Label.HasValue != labelled)
                throw new TrainingDataException(
                    $"Sample {index} ({_dataset.Describe(index)}) {(labelled ? "has no" : "has a")} label but sample {first.Index} " +
                    $"{(labelled ? "has one" : "has none")}; a dataset must label all samples or none.");
            sample.Pixels.AsSpan().CopyTo(pixels.AsSpan((int)(i * perSample)));
            captions[i] = ChooseCaption(sample, index, epoch, offset);
            if (labels is not null)
                labels[i] = sample.Label!.Value;
        }
        return new TrainingBatch(pixels, samples.Count, channels, height, width, captions, labels, default);
    }

    private long CheckShape(TrainingSample sample, int index)
    {
        if (sample is null || sample.Pixels is null || sample.Captions is null)
            throw new TrainingDataException($"The dataset returned an incomplete sample for index {index} ({_dataset.Describe(index)}).");
        if (sample.Channels < 1 || sample.Height < 1 || sample.Width < 1)
            throw new TrainingDataException(
                $"Sample {index} ({_dataset.Describe(index)}) declares the empty shape {sample.Channels}×{sample.Height}×{sample.Width}.");
        long expected = (long)sample.Channels * sample.Height * sample.Width;
        if (sample.Pixels.LongLength != expected)
            throw new TrainingDataException(
                $"Sample {index} ({_dataset.Describe(index)}) holds {sample.Pixels.LongLength} values but its shape " +
                $"{sample.Channels}×{sample.Height}×{sample.Width} needs {expected}.");
        return expected;
    }

    private string ChooseCaption(TrainingSample sample, int index, long epoch, long offset)
    {
        var captions = sample.Captions;
        if (captions.Count == 0)
            return "";
        var caption = captions[DataShuffle.CaptionChoice(captions.Count, _options.Seed, epoch, offset)];
        return caption ?? throw new TrainingDataException($"Sample {index} ({_dataset.Describe(index)}) has a null caption.");
    }

    private int[] PermutationOf(long epoch)
    {
        if (_permutation is null || _permutationEpoch != epoch)
        {
            _permutation = DataShuffle.Permutation(_count, _options.Seed, epoch);
            _permutationEpoch = epoch;
        }
        return _permutation;
    }

    /// <summary>A position at the very end of an epoch is the start of the next one.</summary>
    private void Normalize(ref Cursor cursor)
    {
        if (cursor.Offset == _count)
            cursor = new Cursor(cursor.Epoch + 1, 0, FromEpochStart: true, BatchesInEpoch: 0, LoadedInEpoch: 0);
    }

    /// <summary>The stream position plus what the current epoch has produced so far (for the no-progress check).</summary>
    private readonly record struct Cursor(long Epoch, long Offset, bool FromEpochStart, long BatchesInEpoch, long LoadedInEpoch);
}
