using Matryoshka.Conditioning;
using Matryoshka.Data.Emoji;
using Matryoshka.Evaluation;
using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Video;

/// <summary>The colour features and the video evaluation end to end on the temporal fixture model.</summary>
public class VideoEvaluationTests
{
    // Deterministic "text" of the fixture's width (24): enough to drive the fixture model.
    private sealed class HashEncoder : ITextEncoder
    {
        public int EmbeddingDim => 24;

        public TextConditioning Encode(IReadOnlyList<string> prompts, Device device) => new(
            stack(prompts.Select(p => randn(new long[] { 5, 24 }, generator: new Generator((ulong)p.Length))).ToArray()).to(device),
            ones(prompts.Count, 5).to(device));
    }

    [Fact]
    public void Colour_histograms_ignore_where_the_object_is_and_white()
    {
        using var scope = NewDisposeScope();
        var images = full(new long[] { 3, 3, 8, 8 }, 255, dtype: ScalarType.Byte);
        images[0, 0, 1, 1] = tensor((byte)0);   // a cyan pixel (0, 255, 255) at (1, 1)
        images[1, 0, 6, 5] = tensor((byte)0);   // the same colour elsewhere

        var features = new ColourHistogramFeatureExtractor().Extract(images);

        Assert.Equal(64, features[0].Length);
        Assert.Equal(features[0], features[1]);
        Assert.Equal(1f, features[0][0 * 16 + 3 * 4 + 3]);   // bin (r 0, g 3, b 3)
        Assert.All(features[2], v => Assert.Equal(0f, v));      // all white: no colour at all
    }

    [Fact]
    public void The_training_clips_move_as_captioned_and_every_row_scores_every_clip()
    {
        using var stills = new TempFolder();
        using var output = new TempFolder();
        using (var scope = NewDisposeScope())
        {
            for (int e = 0; e < 2; e++)
            {
                var image = ones(3, 32, 32);
                image[e, 10..22, 10..22] = tensor(-1f);   // a cyan or a magenta square
                PngFiles.SaveAsPng(image, stills.File($"e{e}.png"), PixelConvention.Standard);
                File.WriteAllText(stills.File($"e{e}.txt"), $"square {e}\n");
            }
        }
        string clips = Path.Combine(output.Path, "clips");
        EmojiClipPreparation.Prepare(new EmojiClipOptions { SourceFolder = stills.Path, OutputFolder = clips, FrameGrid = 2, FrameSize = 16 });
        using var pipeline = MatryoshkaPipeline.CreateBuilder()
            .FromMlMdm(Fixtures.MlMdm("temporal_two_level", "config.json"), Fixtures.MlMdm("temporal_two_level", "weights.safetensors"))
            .WithSteps(2).Build();

        var rows = VideoEvaluation.Run(clips, stills.Path, (pipeline, new HashEncoder()), imageModel: null, clips: 12);

        Assert.Equal(new[] { "training clips", "video model" }, rows.Select(r => r.Source));
        Assert.All(rows, r => Assert.Equal(12, r.Clips));
        Assert.Equal(1.0, rows[0].DirectionMatch);
        Assert.Equal(1.0, rows[0].CorrectInTop5);   // two stills: always in the top 5
    }
}
