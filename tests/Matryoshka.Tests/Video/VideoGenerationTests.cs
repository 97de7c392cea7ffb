using Matryoshka.Cli.Commands;
using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;
using Matryoshka.Tests.Cli;
using Matryoshka.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Video;

/// <summary>Clips from ml-mdm's temporal fixture model (2 × 2 frames of 16²) through the pipeline, the files and the CLI.</summary>
public class VideoGenerationTests
{
    private static GenerateCommand.Options Options(string output, int? frames = 4, string name = "temporal_two_level") => new(
        Fixtures.MlMdm(name, "config.json"), Fixtures.MlMdm(name, "weights.safetensors"),
        Fixtures.MlMdm(name, "sample_ddim.safetensors"), output, Steps: 2, Seed: 3, Guidance: 3, Frames: frames);

    [Fact]
    public void A_video_model_gives_clips_whose_frames_are_the_grid_cells_in_time_order()
    {
        using var pipeline = MatryoshkaPipeline.CreateBuilder()
            .FromMlMdm(Fixtures.MlMdm("temporal_two_level", "config.json"), Fixtures.MlMdm("temporal_two_level", "weights.safetensors"))
            .WithSteps(2).Build();
        using var scope = NewDisposeScope();
        var text = randn(new long[] { 2, 5, 24 }, generator: new Generator(4));
        var request = new GenerationRequest
        {
            Conditioning = new(text, ones(2, 5)), NegativeConditioning = new(zeros(2, 5, 24), ones(2, 5)), BatchSize = 2, Seeds = new ulong[] { 11, 12 },
        };

        using var result = pipeline.Generate(request);
        using var alone = pipeline.Generate(request with { Conditioning = new(text[1..2], ones(1, 5)), NegativeConditioning = new(zeros(1, 5, 24), ones(1, 5)), BatchSize = 1, Seeds = new ulong[] { 12 } });

        Assert.True(result.IsVideo);
        Assert.Equal((2, 4), (result.FrameGrid, result.FrameCount));
        var clip = result.Clip(1);
        Assert.Equal(new long[] { 4, 3, 16, 16 }, clip.shape);
        TensorAssert.Close(result.Images[1, .., 16.., ..16], clip[2], 0, "frame 2 = row 1, column 0");
        TensorAssert.Close(result.Images[1], Clips.ToGrid(clip), 0, "grid round trip");
        // A seed per clip: the second clip alone, with its seed, is the same clip.
        TensorAssert.Close(clip, alone.Clip(0), 1e-5, "seeded clip");
    }

    [Fact]
    public void Generate_with_frames_writes_a_strip_and_a_looping_gif()
    {
        using var folder = new TempFolder();
        string output = Path.Combine(folder.Path, "clip.png");

        var (code, stdout, stderr) = GenerateCommandTests.Run(Options(output));

        Assert.True(code == 0, stdout + stderr);
        // The conditioning file holds two rows: two clips, numbered.
        Assert.Equal(new[] { "clip-0.gif", "clip-0.png", "clip-1.gif", "clip-1.png" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order().ToArray());
        using (var strip = Image.Load<Rgb24>(folder.File("clip-1.png"))) Assert.Equal((64, 16), (strip.Width, strip.Height));
        using var gif = Image.Load<Rgb24>(folder.File("clip-1.gif"));
        Assert.Equal(4, gif.Frames.Count);
        Assert.Equal((128, 128), (gif.Width, gif.Height));   // 16² frames enlarged 8×
        Assert.Equal(0, gif.Metadata.GetGifMetadata().RepeatCount);
        Assert.Equal(25, gif.Frames[1].Metadata.GetGifMetadata().FrameDelay);
    }

    [Fact]
    public void The_shipped_video_model_draws_a_sixteen_frame_clip_from_a_prompt()
    {
        using var folder = new TempFolder();
        string output = folder.File("apple.png");

        var (code, stdout, stderr) = GenerateCommandTests.Run(new GenerateCommand.Options(null, null, "", output,
            Steps: 4, Seed: 1, Prompts: new[] { "a red apple moving right" }, Model: Path.Combine(AppContext.BaseDirectory, "repository-models", "emoji-video"), Frames: 16));

        Assert.True(code == 0, stdout + stderr);
        using (var strip = Image.Load<Rgb24>(output)) Assert.Equal((256, 16), (strip.Width, strip.Height));
        using var gif = Image.Load<Rgb24>(folder.File("apple.gif"));
        Assert.Equal((16, 128, 128), (gif.Frames.Count, gif.Width, gif.Height));
    }

    [Theory]
    [InlineData("temporal_two_level", 8, "8 frames asked for, but the model makes clips of 4 frames")]
    [InlineData("two_level", 4, "4 frames asked for, but the model makes images (it has no temporal level)")]
    public void A_frame_count_the_model_cannot_make_is_refused_before_sampling(string model, int frames, string message)
    {
        using var folder = new TempFolder();
        string output = Path.Combine(folder.Path, "clip.png");

        var (code, _, stderr) = GenerateCommandTests.Run(Options(output, frames, model));

        Assert.Equal(GenerateCommand.InputRefused, code);
        Assert.Contains(message, stderr);
        Assert.False(File.Exists(output));
    }
}
