using Matryoshka.Training.Data;
using Xunit;

namespace Matryoshka.Tests.Training.Data;

public class TrainingBatchesTests
{
    private static TrainingBatchesOptions Sync(int batchSize, ulong seed = 42, bool dropLast = true) =>
        new() { BatchSize = batchSize, Seed = seed, PrefetchBatches = 0, DropLast = dropLast };

    private static List<TrainingBatch> Take(TrainingBatches batches, int n) => Enumerable.Range(0, n).Select(_ => batches.Next()).ToList();

    [Fact]
    public void Batches_follow_each_epochs_permutation_and_drop_the_incomplete_tail()
    {
        using var batches = new TrainingBatches(new FakeDataset(10), Sync(4));
        var epoch0 = DataShuffle.Permutation(10, 42, 0);
        var epoch1 = DataShuffle.Permutation(10, 42, 1);

        var first = batches.Next();
        Assert.Equal(epoch0[..4], FakeDataset.Indices(first));
        Assert.Equal(new DataPosition(0, 4), first.After);
        Assert.Equal(new DataPosition(0, 4), batches.Position);
        var second = batches.Next();
        Assert.Equal(epoch0[4..8], FakeDataset.Indices(second));
        Assert.Equal(new DataPosition(0, 8), second.After);
        // The last two of epoch 0 are dropped: the third batch is the start of epoch 1.
        var third = batches.Next();
        Assert.Equal(epoch1[..4], FakeDataset.Indices(third));
        Assert.Equal(new DataPosition(1, 4), third.After);
        Assert.Equal((4, 1, 2, 2), (third.BatchSize, third.Channels, third.Height, third.Width));
        Assert.Equal(16, third.Pixels.Length);
    }

    [Fact]
    public void Without_drop_last_an_epoch_ends_with_a_smaller_batch_and_the_next_epoch_starts_fresh()
    {
        using var batches = new TrainingBatches(new FakeDataset(10), Sync(4, dropLast: false));
        var epoch0 = DataShuffle.Permutation(10, 42, 0);
        var all = Take(batches, 4);
        Assert.Equal(epoch0[8..], FakeDataset.Indices(all[2]));
        Assert.Equal(2, all[2].BatchSize);
        Assert.Equal(8, all[2].Pixels.Length);
        Assert.Equal(new DataPosition(1, 0), all[2].After);
        Assert.Equal(DataShuffle.Permutation(10, 42, 1)[..4], FakeDataset.Indices(all[3]));
    }

    [Fact]
    public void Pixels_captions_and_labels_come_from_the_loaded_samples()
    {
        var dataset = new FakeDataset(6) { CaptionsPerSample = 3, Labelled = true };
        using var batches = new TrainingBatches(dataset, Sync(3, seed: 5));
        for (int b = 0; b < 4; b++)
        {
            var batch = batches.Next();
            long epoch = b / 2, firstOffset = b % 2 * 3;
            for (int s = 0; s < 3; s++)
            {
                int index = FakeDataset.IndexOf(batch, s);
                Assert.Equal(Enumerable.Repeat((float)index, 4), batch.Pixels.Skip(s * 4).Take(4));
                Assert.Equal(index % 10, batch.Labels![s]);
                int pick = DataShuffle.CaptionChoice(3, 5, epoch, firstOffset + s);
                Assert.Equal($"sample {index} caption {pick}", batch.Captions[s]);
            }
        }
    }

    [Fact]
    public void Samples_without_captions_get_an_empty_caption_and_unlabelled_batches_no_labels()
    {
        using var batches = new TrainingBatches(new FakeDataset(4), Sync(2));
        var batch = batches.Next();
        Assert.Equal(new[] { "", "" }, batch.Captions);
        Assert.Null(batch.Labels);
    }

    [Fact]
    public void The_same_sample_gets_different_captions_in_different_epochs()
    {
        var dataset = new FakeDataset(1) { CaptionsPerSample = 4 };
        using var batches = new TrainingBatches(dataset, Sync(1));
        var captions = Take(batches, 40).Select(b => b.Captions[0]).ToList();
        Assert.Equal(4, captions.Distinct().Count());
    }

    [Fact]
    public void Refused_samples_are_skipped_counted_and_described()
    {
        var dataset = new FakeDataset(10) { Invalid = i => i is 2 or 7 };
        using var batches = new TrainingBatches(dataset, Sync(4));
        var epoch0 = DataShuffle.Permutation(10, 42, 0).Where(i => i is not (2 or 7)).ToArray();
        var first = batches.Next();
        var second = batches.Next();
        Assert.Equal(epoch0[..4], FakeDataset.Indices(first));
        Assert.Equal(epoch0[4..8], FakeDataset.Indices(second));
        // Both refused indices lie in epoch 0's first 10 entries, all consumed by now.
        Assert.Equal(new DataPosition(1, 0), second.After);
        Assert.Equal(2, batches.SkippedSamples);
        Assert.Equal(new[] { "item 2: refused by the test", "item 7: refused by the test" }, batches.SkippedDescriptions.Order());
    }

    [Fact]
    public void Skipped_descriptions_are_bounded_but_the_count_is_not()
    {
        var dataset = new FakeDataset(300) { Invalid = i => i % 2 == 0 };
        using var batches = new TrainingBatches(dataset, Sync(50));
        Take(batches, 3); // All 150 usable samples of epoch 0; only refused ones remain in it.
        Assert.Equal(0, batches.Position.Epoch);
        Assert.Equal(batches.Position.Offset - 150, batches.SkippedSamples);
        Assert.InRange(batches.SkippedSamples, TrainingBatches.MaxSkippedDescriptions + 1, 150);
        Assert.Equal(TrainingBatches.MaxSkippedDescriptions, batches.SkippedDescriptions.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task An_epoch_where_every_sample_fails_is_an_error_not_an_endless_loop(int prefetch)
    {
        var dataset = new FakeDataset(20) { Invalid = _ => true };
        using var batches = new TrainingBatches(dataset, Sync(4) with { PrefetchBatches = prefetch });
        var run = Task.Run(() => batches.Next());
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))));
        var error = await Assert.ThrowsAsync<TrainingDataException>(() => run);
        Assert.Contains("Every one of the 20 samples failed", error.Message);
        Assert.Contains("item ", error.Message);
    }

    [Fact]
    public void Starting_mid_epoch_on_a_dataset_that_always_fails_still_ends_in_an_error()
    {
        var dataset = new FakeDataset(10) { Invalid = _ => true };
        using var batches = new TrainingBatches(dataset, Sync(2), new DataPosition(3, 5));
        Assert.Throws<TrainingDataException>(() => batches.Next());
        Assert.Equal(5 + 10, dataset.Loaded.Count); // The rest of epoch 3, then all of epoch 4.
    }

    [Fact]
    public void Too_few_usable_samples_for_one_full_batch_is_an_error_with_drop_last()
    {
        var dataset = new FakeDataset(5) { Invalid = i => i < 2 };
        using var batches = new TrainingBatches(dataset, Sync(4));
        var error = Assert.Throws<TrainingDataException>(() => batches.Next());
        Assert.Contains("only 3 usable samples", error.Message);

        using var partial = new TrainingBatches(dataset, Sync(4, dropLast: false));
        Assert.Equal(3, partial.Next().BatchSize);
    }

    [Fact]
    public void Prefetched_batches_are_bit_identical_to_synchronous_ones()
    {
        var dataset = new FakeDataset(37) { Invalid = i => i % 9 == 4, CaptionsPerSample = 3, Labelled = true };
        foreach (bool dropLast in new[] { true, false })
        {
            using var sync = new TrainingBatches(dataset, Sync(5, seed: 11, dropLast));
            using var prefetched = new TrainingBatches(dataset, Sync(5, seed: 11, dropLast) with { PrefetchBatches = 3 });
            for (int b = 0; b < 30; b++)
            {
                var expected = sync.Next();
                var actual = prefetched.Next();
                AssertSameBatch(expected, actual);
                Assert.Equal(sync.SkippedSamples, prefetched.SkippedSamples);
                Assert.Equal(sync.Position, prefetched.Position);
            }
            Assert.Equal(sync.SkippedDescriptions, prefetched.SkippedDescriptions);
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public void Resuming_from_a_batchs_position_continues_exactly_like_an_uninterrupted_run(int prefetch, bool dropLast)
    {
        var dataset = new FakeDataset(23) { Invalid = i => i % 7 == 3, CaptionsPerSample = 2 };
        var options = Sync(4, seed: 3, dropLast) with { PrefetchBatches = prefetch };
        List<TrainingBatch> uninterrupted;
        using (var batches = new TrainingBatches(dataset, options))
            uninterrupted = Take(batches, 24);

        foreach (int stop in new[] { 1, 4, 5, 11, 17 })
        {
            using var resumed = new TrainingBatches(dataset, options, uninterrupted[stop - 1].After);
            Assert.Equal(uninterrupted[stop - 1].After, resumed.Position);
            for (int b = stop; b < uninterrupted.Count; b++)
                AssertSameBatch(uninterrupted[b], resumed.Next());
        }
    }

    [Fact]
    public void A_start_at_the_very_end_of_an_epoch_is_the_start_of_the_next()
    {
        var dataset = new FakeDataset(8);
        using var atEnd = new TrainingBatches(dataset, Sync(4), new DataPosition(2, 8));
        using var atNext = new TrainingBatches(dataset, Sync(4), new DataPosition(3, 0));
        Assert.Equal(new DataPosition(3, 0), atEnd.Position);
        AssertSameBatch(atNext.Next(), atEnd.Next());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Other_exceptions_surface_from_next_after_the_batches_before_them(int prefetch)
    {
        var epoch0 = DataShuffle.Permutation(12, 42, 0);
        int faulty = epoch0[9]; // Loaded while building the third batch.
        var dataset = new FakeDataset(12) { Fault = i => i == faulty ? new IOException("disk gone") : null };
        using var batches = new TrainingBatches(dataset, Sync(4) with { PrefetchBatches = prefetch });
        Assert.Equal(epoch0[..4], FakeDataset.Indices(batches.Next()));
        Assert.Equal(epoch0[4..8], FakeDataset.Indices(batches.Next()));
        Assert.Equal("disk gone", Assert.Throws<IOException>(() => batches.Next()).Message);
        Assert.Throws<IOException>(() => batches.Next());
        Assert.Equal(new DataPosition(0, 8), batches.Position);
    }

    [Fact]
    public void Inconsistent_sample_shapes_are_an_error()
    {
        var dataset = new ShapeShiftingDataset();
        using var batches = new TrainingBatches(dataset, Sync(2) with { Seed = 0 });
        var error = Assert.Throws<TrainingDataException>(() => batches.Next());
        Assert.Contains("every sample must have one shape", error.Message);
    }

    [Fact]
    public void Dispose_stops_prefetching_promptly_and_later_calls_are_refused()
    {
        var dataset = new FakeDataset(1000) { Delay = TimeSpan.FromMilliseconds(20) };
        var batches = new TrainingBatches(dataset, Sync(2) with { PrefetchBatches = 2 });
        batches.Next();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        batches.Dispose();
        Assert.True(watch.ElapsedMilliseconds < 1000, $"Dispose took {watch.ElapsedMilliseconds} ms");
        int loaded = dataset.Loaded.Count;
        Thread.Sleep(100);
        Assert.Equal(loaded, dataset.Loaded.Count);
        // At most the consumed batch, two queued ones and the one being built.
        Assert.InRange(loaded, 2, 8);
        Assert.Throws<ObjectDisposedException>(() => batches.Next());
        batches.Dispose();
    }

    [Fact]
    public void A_cancelled_next_leaves_the_position_unchanged()
    {
        var dataset = new FakeDataset(10);
        using var reference = new TrainingBatches(dataset, Sync(3));
        using var batches = new TrainingBatches(dataset, Sync(3));
        AssertSameBatch(reference.Next(), batches.Next());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => batches.Next(cancelled.Token));
        Assert.Equal(new DataPosition(0, 3), batches.Position);
        AssertSameBatch(reference.Next(), batches.Next());
    }

    [Fact]
    public void Bad_options_and_start_positions_are_refused()
    {
        var dataset = new FakeDataset(5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingBatches(dataset, Sync(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingBatches(dataset, Sync(2) with { PrefetchBatches = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingBatches(dataset, Sync(2), new DataPosition(-1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingBatches(dataset, Sync(2), new DataPosition(0, 6)));
        Assert.Throws<TrainingDataException>(() => new TrainingBatches(new FakeDataset(0), Sync(2)));
    }

    internal static void AssertSameBatch(TrainingBatch expected, TrainingBatch actual)
    {
        Assert.Equal((expected.BatchSize, expected.Channels, expected.Height, expected.Width),
            (actual.BatchSize, actual.Channels, actual.Height, actual.Width));
        Assert.Equal(expected.Pixels.Select(BitConverter.SingleToInt32Bits), actual.Pixels.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expected.Captions, actual.Captions);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.After, actual.After);
    }

    /// <summary>Sample 0 is 1×2×2, every other sample 1×3×3.</summary>
    private sealed class ShapeShiftingDataset : ITrainingDataset
    {
        public int Count => 2;

        public TrainingSample Load(int index) => index == 0
            ? new TrainingSample(new float[4], 1, 2, 2, [], null)
            : new TrainingSample(new float[9], 1, 3, 3, [], null);

        public string Describe(int index) => $"shape {index}";
    }
}
