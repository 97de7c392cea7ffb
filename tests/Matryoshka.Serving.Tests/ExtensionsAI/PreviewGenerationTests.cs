using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;

namespace Matryoshka.Serving.Tests.ExtensionsAI;

/// <summary>The core entry points the serving packages build on, called directly.</summary>
public class PreviewGenerationTests(EmojiPipelineFixture emoji) : IClassFixture<EmojiPipelineFixture>
{
    /// <summary>Collects on the generation thread, as the contract allows (Progress&lt;T&gt; would post elsewhere).</summary>
    private sealed class Collector : IProgress<GenerationPreview>
    {
        public List<(int Step, int Total, long[][] Shapes)> Seen { get; } = [];

        public void Report(GenerationPreview value)
        {
            using (value) Seen.Add((value.Step, value.Total, value.Estimates.Select(e => e.shape).ToArray()));
        }
    }

    [Fact]
    public async Task Every_step_reports_every_level_and_the_result_is_the_plain_generation()
    {
        var request = new GenerationRequest("a red apple") { Seed = 4, Steps = 3 };
        var previews = new Collector();
        using var withPreviews = await emoji.Pipeline.GenerateWithPreviewsAsync(request, previews);
        using var plain = await emoji.Pipeline.GenerateAsync(request);

        Assert.Equal([1, 2, 3], previews.Seen.Select(p => p.Step));
        Assert.All(previews.Seen, p => Assert.Equal(3, p.Total));
        Assert.All(previews.Seen, p => Assert.Equal([[1, 3, 64, 64], [1, 3, 16, 16]], p.Shapes));
        using var a = withPreviews.Images[0];
        using var b = plain.Images[0];
        var png = PngFiles.ToPngBytes(a, withPreviews.Pixels);
        Assert.Equal((64, 64), Png.Size(png));
        Assert.Equal(png, PngFiles.ToPngBytes(b, plain.Pixels));
    }

    [Fact]
    public async Task Cancelling_from_the_preview_receiver_stops_the_generation()
    {
        using var cancel = new CancellationTokenSource();
        var previews = new CancelAfterFirst(cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            emoji.Pipeline.GenerateWithPreviewsAsync(new GenerationRequest("a red apple") { Steps = 50 }, previews, cancel.Token));
        Assert.Equal(1, previews.Count);
    }

    private sealed class CancelAfterFirst(CancellationTokenSource cancel) : IProgress<GenerationPreview>
    {
        public int Count { get; private set; }

        public void Report(GenerationPreview value)
        {
            value.Dispose();
            Count++;
            cancel.Cancel();
        }
    }
}
