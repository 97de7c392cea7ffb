using System.Collections.Concurrent;
using Matryoshka.Training.Data;

namespace Matryoshka.Tests.Training.Data;

/// <summary>
/// An in-memory dataset whose sample i is a 1×2×2 image filled with i (so batches reveal which indices they hold), with
/// optional captions, labels, refused indices, faults and a per-load delay.
/// </summary>
internal sealed class FakeDataset(int count) : ITrainingDataset
{
    public Func<int, bool> Invalid { get; init; } = _ => false;
    public Func<int, Exception?> Fault { get; init; } = _ => null;
    public int CaptionsPerSample { get; init; }
    public bool Labelled { get; init; }
    public TimeSpan Delay { get; init; }
    public ConcurrentQueue<int> Loaded { get; } = new();

    public int Count => count;

    public TrainingSample Load(int index)
    {
        Loaded.Enqueue(index);
        if (Delay > TimeSpan.Zero)
            Thread.Sleep(Delay);
        if (Fault(index) is { } fault)
            throw fault;
        if (Invalid(index))
            throw new InvalidTrainingSampleException(index, Describe(index), "refused by the test");
        var captions = Enumerable.Range(0, CaptionsPerSample).Select(k => $"sample {index} caption {k}").ToArray();
        return new TrainingSample([index, index, index, index], 1, 2, 2, captions, Labelled ? index % 10 : null);
    }

    public string Describe(int index) => $"item {index}";

    /// <summary>The dataset index a batch sample came from (its first pixel).</summary>
    public static int IndexOf(TrainingBatch batch, int sample) => (int)batch.Pixels[sample * 4];

    public static int[] Indices(TrainingBatch batch) => Enumerable.Range(0, batch.BatchSize).Select(s => IndexOf(batch, s)).ToArray();
}
