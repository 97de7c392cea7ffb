using Matryoshka.Training.Data;

namespace Matryoshka.Training.Runs;

/// <summary>
/// Skipped samples by category over a whole run: what the resumed checkpoint had counted, plus every finished stage's
/// batch stream, plus the current one. Each stage has its own stream, whose counts start at zero.
/// </summary>
internal sealed class SkippedSampleTally(IReadOnlyDictionary<string, long>? start)
{
    private readonly Dictionary<string, long> _closed = start?.ToDictionary(StringComparer.Ordinal) ?? new(StringComparer.Ordinal);

    /// <summary>Adds a stage's stream that is about to be disposed.</summary>
    public void Close(TrainingBatches? finished)
    {
        if (finished is not null) Add(_closed, finished.SkippedSamplesByCategory);
    }

    /// <summary>The run's counts so far, with <paramref name="current"/> (the stream in use, if any) included.</summary>
    public IReadOnlyDictionary<string, long> With(TrainingBatches? current)
    {
        var total = new Dictionary<string, long>(_closed, StringComparer.Ordinal);
        if (current is not null) Add(total, current.SkippedSamplesByCategory);
        return total;
    }

    private static void Add(Dictionary<string, long> into, IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (category, count) in counts) into[category] = into.GetValueOrDefault(category) + count;
    }
}
