using System.Text.Json;
using Matryoshka.Cli.Commands;
using Matryoshka.Cli.Evaluation;
using Matryoshka.Evaluation;
using Matryoshka.ImageSharp;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary>The model shipped in models/emoji-64, end to end with its default preset.</summary>
public class EmbeddedModelTests
{
    private static readonly string Emoji = Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");

    [Fact]
    public void A_prompt_without_model_files_is_drawn_by_the_embedded_model_with_its_preset()
    {
        using var temp = new TempFolder();
        var stdout = new StringWriter();
        int code = GenerateCommand.Run(new GenerateCommand.Options(null, null, "", temp.File("apple.png"), Seed: 1, Prompts: new[] { "a red apple" }), stdout, stdout);

        Assert.True(code == 0, stdout.ToString());
        Assert.Contains("(20 steps, seed 1,", stdout.ToString());
        using var image = new SafeImageDecoder().Load(temp.File("apple.png"));
        Assert.Equal((64, 64), (image.Width, image.Height));
    }

    [Fact]
    public void The_CLI_constants_for_eval_and_experiment_equal_the_shipped_manifest()
    {
        var manifest = Matryoshka.Pipelines.Pretrained.ModelManifest.Load(Matryoshka.Cli.EmbeddedModel.Folder);
        Assert.Equal(
            (manifest.Sampler, manifest.Steps, manifest.Guidance, manifest.TextEncoder!.MaxTokens, manifest.Pixels),
            ((string?)Matryoshka.Cli.EmbeddedModel.Sampler, (int?)Matryoshka.Cli.EmbeddedModel.Steps, (double?)Matryoshka.Cli.EmbeddedModel.Guidance,
                Matryoshka.Cli.EmbeddedModel.MaxTokens, Matryoshka.Cli.EmbeddedModel.Pixels));
    }

    [Fact]
    public void The_captions_of_the_checked_in_emoji_draw_images_whose_nearest_emoji_is_their_own()
    {
        using var temp = new TempFolder();
        var stdout = new StringWriter();
        // All 16 captions are queried against the 16 emoji (cosine similarity of ResNet18 and of coarse pixel features).
        var settings = new EvaluationSettings(RetrievalQueries: 16, FrechetImages: 16, BatchSize: 16, Seed: 1);

        int code = EvalCommand.Run(Emoji, null, null, settings, null, temp.File("report.json"), stdout, stdout);

        Assert.True(code == 0, stdout.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("report.json")));
        var report = json.RootElement;
        double top1 = report.GetProperty("Top1").GetDouble(), pixelTop1 = report.GetProperty("PixelTop1").GetDouble();
        // Chance is 1/16 top-1. Measured when the model shipped: 25 % (ResNet18) and 43.8 % (pixels); top-5 68.8 % for both.
        Assert.True(top1 >= 0.25 && pixelTop1 >= 0.375, $"top-1 {top1} (ResNet18), {pixelTop1} (pixels)\n{stdout}");
        var misses = report.GetProperty("Misses").EnumerateArray().Select(miss => miss.GetProperty("Caption").GetString()).ToArray();
        Assert.DoesNotContain("a red apple", misses); // the apple ranks within the 5 nearest of 16
        Assert.True(misses.Length <= 5, $"{misses.Length} of 16 captions outside the 5 nearest: {string.Join(", ", misses)}");
    }
}
