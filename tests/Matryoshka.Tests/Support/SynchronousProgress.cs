using Matryoshka.Pipelines;

namespace Matryoshka.Tests.Support;

/// <summary>Reports on the generating thread (Progress&lt;T&gt; would post to a pool thread).</summary>
public sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
{
    public void Report(GenerationProgress value) => report(value);
}
