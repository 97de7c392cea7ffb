using Matryoshka.Data.Emoji;

namespace Matryoshka.Tests.Data;

/// <summary>Records progress on the reporting thread (Progress&lt;T&gt; would post to a pool thread, after the run).</summary>
public sealed class EmojiProgressRecorder(Action<EmojiPreparationProgress>? onReport = null) : IProgress<EmojiPreparationProgress>
{
    public List<EmojiPreparationProgress> Reports { get; } = [];

    public void Report(EmojiPreparationProgress value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
