using Matryoshka.Evaluation;
using Matryoshka.Pipelines.Pretrained;
using Matryoshka.Text.MiniLM;
using Xunit;

namespace Matryoshka.Tests.Evaluation;

/// <summary>A text-to-image model's evaluation from C# in one call (<see cref="GenerationEvaluator"/>), without the CLI.</summary>
public class GenerationEvaluatorTests
{
    private static readonly string Emoji = Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");
    private static readonly string Config = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "emoji-64.model.yaml");

    [Fact]
    public async Task One_call_samples_the_captions_and_reports_retrieval_and_fd()
    {
        using var temp = new TempFolder();
        RandomWeights.Save(Config, 384, temp.File("w.safetensors"));
        var progress = new ListProgress<EvaluationProgress>();

        var report = await GenerationEvaluator.EvaluateAsync(new GenerationEvaluatorOptions
        {
            DataFolder = Emoji,
            ModelConfigPath = Config,
            WeightsPath = temp.File("w.safetensors"),
            Settings = new EvaluationSettings(RetrievalQueries: 3, FrechetImages: 4, Steps: 2, BatchSize: 2, Seed: 7),
            TextEncoder = new MiniLMTextEncoderOptions { MaxTokens = 32 },
            SamplesFolder = temp.File("samples"),
            Features = new PixelFeatureExtractor(),
        }, progress);

        // Told when generation begins (the set: 16 emoji, none skipped), then after each batch of 2.
        Assert.Equal(new[] { (16, 0, 0, 4), (16, 0, 2, 4), (16, 0, 4, 4) }, progress.Items.Select(p => (p.SetImages, p.Skipped, p.Generated, p.Total)));
        Assert.Equal((3, 4, 16, 8), (report.Queries, report.FdImages, report.Gallery, report.RealHalfSize));
        Assert.InRange(report.Top1, 0, report.Top5);
        Assert.InRange(report.Top5, 0, 1);
        Assert.True(report.FdGenerated > 0 && report.FdRealHalves > 0, $"FD {report.FdGenerated}, real halves {report.FdRealHalves}");
        Assert.Equal(7UL, report.Settings.Seed);
        Assert.Equal(4, Directory.GetFiles(temp.File("samples"), "*.png").Length);
    }

    [Fact]
    public async Task Upscaling_measures_the_bicubically_enlarged_images_against_the_data_read_at_that_side()
    {
        using var temp = new TempFolder();
        RandomWeights.Save(Config, 384, temp.File("w.safetensors"));

        var report = await GenerationEvaluator.EvaluateAsync(new GenerationEvaluatorOptions
        {
            DataFolder = Emoji,
            ModelConfigPath = Config,
            WeightsPath = temp.File("w.safetensors"),
            Settings = new EvaluationSettings(RetrievalQueries: 2, FrechetImages: 2, Steps: 1, BatchSize: 2, UpscaleTo: 128),
            SamplesFolder = temp.File("samples"),
            Features = new PixelFeatureExtractor(),
        });

        foreach (var png in Directory.GetFiles(temp.File("samples"), "*.png"))
            Assert.Equal(128, SixLabors.ImageSharp.Image.Identify(png).Width);
        Assert.Equal(128, report.Settings.UpscaleTo);
        Assert.True(report.SharpnessGenerated > 0 && report.SharpnessReal > 0, $"{report.SharpnessGenerated} / {report.SharpnessReal}");
        var invalid = await Assert.ThrowsAsync<EvaluationSettingsException>(() => GenerationEvaluator.EvaluateAsync(new GenerationEvaluatorOptions
        {
            DataFolder = Emoji, ModelConfigPath = Config, WeightsPath = temp.File("w.safetensors"),
            Settings = new EvaluationSettings(RetrievalQueries: 2, FrechetImages: 2, UpscaleTo: 100),
        }));
        Assert.Contains("--upscale", invalid.Message);
    }

    [Fact]
    public async Task Cancellation_stops_between_batches_and_settings_out_of_range_are_typed()
    {
        using var temp = new TempFolder();
        RandomWeights.Save(Config, 384, temp.File("w.safetensors"));
        var options = new GenerationEvaluatorOptions
        {
            DataFolder = Emoji,
            ModelConfigPath = Config,
            WeightsPath = temp.File("w.safetensors"),
            Settings = new EvaluationSettings(RetrievalQueries: 2, FrechetImages: 4, Steps: 1, BatchSize: 2),
            Features = new PixelFeatureExtractor(),
        };
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress(p => { if (p.Generated == 2) cancellation.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GenerationEvaluator.EvaluateAsync(options, progress, cancellation.Token));
        var tooMany = await Assert.ThrowsAsync<EvaluationSettingsException>(() =>
            GenerationEvaluator.EvaluateAsync(options with { Settings = new EvaluationSettings(RetrievalQueries: 17, FrechetImages: 4) }));
        Assert.Contains("16 captioned images", tooMany.Message);
    }

    [Fact]
    public void The_default_sampling_settings_are_the_shipped_emoji_models_preset()
    {
        var manifest = ModelManifest.Load(Matryoshka.Models.Emoji64.Emoji64Model.Folder);
        var defaults = new EvaluationSettings();
        Assert.Equal((manifest.Sampler, manifest.Steps, manifest.Guidance), ((string?)defaults.Sampler, (int?)defaults.Steps, (double?)defaults.Guidance));
    }

    private sealed class CallbackProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
