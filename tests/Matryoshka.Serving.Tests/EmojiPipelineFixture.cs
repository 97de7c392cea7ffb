using Matryoshka.Models.Emoji64;
using Matryoshka.Pipelines;

namespace Matryoshka.Serving.Tests;

/// <summary>The embedded emoji model, loaded once for the tests that call the pipeline directly.</summary>
public sealed class EmojiPipelineFixture : IDisposable
{
    public MatryoshkaPipeline Pipeline { get; } = Emoji64Model.LoadPipeline();

    public void Dispose() => Pipeline.Dispose();
}
