using System.Text.Json;
using Matryoshka.Cli.Evaluation;
using Matryoshka.Evaluation;
using Matryoshka.ImageSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Evaluation;

/// <summary><c>matryoshka eval</c> on the 16 checked-in emoji.</summary>
public class EvalCommandTests
{
    private static readonly string Emoji = Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");
    private static readonly string Config = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "emoji-64.model.yaml");

    [Fact]
    public void A_generator_that_returns_each_captions_real_image_retrieves_all_of_them_at_fd_zero()
    {
        var set = EvaluationSet.Load(Emoji, 64);
        Assert.Equal((16, 0), (set.Images.Count, set.Skipped));
        var byCaption = set.Images.ToDictionary(image => image.Caption);
        using var resnet = new ResNet18FeatureExtractor();
        var oracle = new GenerationEvaluation((captions, _) =>
            stack(captions.Select(c => tensor(byCaption[c].Pixels, new long[] { 3, 64, 64 })).ToArray()), resnet);

        var report = oracle.Run(set, new EvaluationSettings(RetrievalQueries: 5, FrechetImages: 8, BatchSize: 3, Seed: 2), progress: null);

        Assert.Equal((1.0, 1.0, 5, 16), (report.Top1, report.Top5, report.Queries, report.Gallery));
        Assert.Equal((1.0, 1.0), (report.PixelTop1, report.PixelTop5));
        Assert.Empty(report.Misses);
        // 8 rows of 512 features: rank-deficient covariances, whose near-zero eigenvalues' square roots carry round-off.
        Assert.InRange(report.FdGenerated, -1e-3, 1e-3);
        Assert.Equal(8, report.RealHalfSize);
        Assert.True(report.FdRealHalves > 1, $"two disjoint halves of different emoji: FD {report.FdRealHalves}");
        Assert.True(report.SharpnessReal > 0, $"real sharpness {report.SharpnessReal}");
    }

    [Fact]
    public void A_generator_that_returns_every_real_image_is_exactly_as_sharp_as_the_real_set()
    {
        var set = EvaluationSet.Load(Emoji, 64);
        var byCaption = set.Images.ToDictionary(image => image.Caption);
        var oracle = new GenerationEvaluation((captions, _) =>
            stack(captions.Select(c => tensor(byCaption[c].Pixels, new long[] { 3, 64, 64 })).ToArray()), new PixelFeatureExtractor());

        var report = oracle.Run(set, new EvaluationSettings(RetrievalQueries: 5, FrechetImages: 16, BatchSize: 5), progress: null);

        Assert.Equal(report.SharpnessReal, report.SharpnessGenerated, 9);
        Assert.Equal(1, report.SharpnessRatio, 9);
    }

    [Fact]
    public void The_command_samples_with_the_model_and_writes_its_report_and_images()
    {
        using var temp = new TempFolder();
        RandomWeights.Save(Config, 384, temp.File("w.safetensors"));
        var settings = new EvaluationSettings(RetrievalQueries: 3, FrechetImages: 4, Steps: 2, BatchSize: 4);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = EvalCommand.Run(Emoji, Config, temp.File("w.safetensors"), settings, temp.File("samples"), temp.File("reports/report.json"), stdout, stderr);

        Assert.True(code == 0, stdout + "" + stderr);
        Assert.Contains("caption retrieval over 16 images, 3 queries", stdout.ToString());
        var decoder = new SafeImageDecoder();
        for (int i = 0; i < 4; i++)
            using (var image = decoder.Load(temp.File($"samples/000{i}.png"))) Assert.Equal((64, 64), (image.Width, image.Height));
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("reports/report.json")));
        double top1 = json.RootElement.GetProperty("Top1").GetDouble(), top5 = json.RootElement.GetProperty("Top5").GetDouble();
        Assert.True(top1 >= 0 && top1 <= top5 && top5 <= 1, $"top-1 {top1}, top-5 {top5}");
        Assert.True(json.RootElement.GetProperty("FdGenerated").GetDouble() > 0);
    }

    [Fact]
    public void Impossible_requests_are_refused_with_2()
    {
        using var temp = new TempFolder();
        RandomWeights.Save(Config, 384, temp.File("w.safetensors"));
        int Run(string data, EvaluationSettings settings) =>
            EvalCommand.Run(data, Config, temp.File("w.safetensors"), settings, null, null, TextWriter.Null, TextWriter.Null);

        Assert.Equal(EvalCommand.InputRefused, Run(Emoji, new EvaluationSettings(RetrievalQueries: 20, FrechetImages: 4))); // only 16 images
        Assert.Equal(EvalCommand.InputRefused, Run(Emoji, new EvaluationSettings(FrechetImages: 1)));
        Assert.Equal(EvalCommand.InputRefused, Run(temp.File("nowhere"), new EvaluationSettings(RetrievalQueries: 2, FrechetImages: 2)));
        Assert.Equal(EvalCommand.InputRefused, EvalCommand.Run(Emoji, Config, null, new EvaluationSettings(2, 2), null, null, TextWriter.Null, TextWriter.Null));

        // A report path that is a folder is refused before any image is generated.
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(EvalCommand.InputRefused, EvalCommand.Run(Emoji, Config, temp.File("w.safetensors"), new EvaluationSettings(2, 2, Steps: 2),
            null, temp.Path, stdout, stderr));
        Assert.Contains("is a folder", stderr.ToString());
        Assert.DoesNotContain("generating", stdout.ToString());

        // A model is named by --model (its manifest gives the files) or given by --config/--weights, not both.
        stdout = new StringWriter();
        var tiny = new EvaluationSettings(2, 2, Steps: 1, BatchSize: 2);
        Assert.Equal(0, EvalCommand.Run(Emoji, null, null, tiny, null, null, stdout, stdout, new PixelFeatureExtractor(), model: "emoji-64"));
        Assert.Contains("caption retrieval over 16 images, 2 queries", stdout.ToString());
        stderr = new StringWriter();
        Assert.Equal(EvalCommand.InputRefused, EvalCommand.Run(Emoji, null, null, tiny, null, null, TextWriter.Null, stderr, model: "emoji-65"));
        Assert.Contains("--model 'emoji-65' is neither a model shipped with this tool", stderr.ToString());
        stderr = new StringWriter();
        Assert.Equal(EvalCommand.InputRefused, EvalCommand.Run(Emoji, Config, temp.File("w.safetensors"), tiny, null, null, TextWriter.Null, stderr, model: "emoji-64"));
        Assert.Contains("not both", stderr.ToString());

        // So is a FIFO, which the final write would block on after the whole sampling run.
        var fifo = SpecialFiles.Fifo(temp.File("report.json"));
        stderr = new StringWriter();
        Assert.Equal(EvalCommand.InputRefused, EvalCommand.Run(Emoji, Config, temp.File("w.safetensors"), new EvaluationSettings(2, 2, Steps: 2),
            null, fifo, TextWriter.Null, stderr));
        Assert.Contains("is a FIFO", stderr.ToString());
    }
}
