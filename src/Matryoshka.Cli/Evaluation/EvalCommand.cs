using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Matryoshka.Cli.Commands;
using Matryoshka.Evaluation;
using Matryoshka.IO;
using Matryoshka.Pipelines.Pretrained;
using Matryoshka.Text.MiniLM;

namespace Matryoshka.Cli.Evaluation;

/// <summary>
/// <c>matryoshka eval --data data/emoji</c>: caption retrieval (top-1/top-5) and FD-ResNet18 of a text-to-image model
/// (the embedded one by default) against the captioned image folder it was trained on. See docs/evaluation.md.
/// Exit codes: 0 done, 1 failed, 2 bad input.
/// </summary>
internal static class EvalCommand
{
    internal const int InputRefused = 2;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Image folder with caption sidecars (e.g. data/emoji from scripts/prepare-emoji.sh).", Required = true };
        var model = new Option<string?>("--model") { Description = "A shipped model's name (emoji-64, emoji-256) or a model folder with a manifest; default: emoji-64, the model data/emoji was made for." };
        var config = new Option<string?>("--config") { Description = "Model config; default: the embedded emoji model." };
        var weights = new Option<string?>("--weights") { Description = "Weights; default: the embedded emoji model's." };
        var queries = new Option<int>("--queries") { Description = "Captions for retrieval.", DefaultValueFactory = _ => 200 };
        var fdImages = new Option<int>("--fd-images") { Description = "Generated (and real) images for FD-ResNet18.", DefaultValueFactory = _ => 1000 };
        var steps = new Option<int>("--steps") { Description = "Sampling steps.", DefaultValueFactory = _ => EmbeddedModel.Steps };
        var guidance = new Option<double>("--guidance") { Description = "Classifier-free guidance scale.", DefaultValueFactory = _ => EmbeddedModel.Guidance };
        var sampler = new Option<string>("--sampler") { Description = "ddim, ddpm or dpm++2m.", DefaultValueFactory = _ => EmbeddedModel.Sampler };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the chosen captions and of the noise.", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Images per sampling call (16 was faster per image than 50 on a 2-core CPU).", DefaultValueFactory = _ => 16 };
        var samples = new Option<string?>("--samples") { Description = "Also write every generated image as a PNG into this folder." };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON." };
        var upscale = new Option<int?>("--upscale") { Description = "Upscale the generated images bicubically to this side and read the data at it (a low-resolution model as a baseline for a higher one)." };
        var command = new Command("eval", "Caption retrieval and FD-ResNet18 of a text-to-image model on a captioned image folder.");
        var device = DeviceOption.Create();
        foreach (var option in new Option[] { data, model, config, weights, queries, fdImages, steps, guidance, sampler, seed, batch, samples, json, upscale, device })
            command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(data)!, parse.GetValue(config), parse.GetValue(weights),
            new EvaluationSettings(parse.GetValue(queries), parse.GetValue(fdImages), parse.GetValue(steps), parse.GetValue(guidance),
                parse.GetValue(sampler)!, parse.GetValue(seed), parse.GetValue(batch), parse.GetValue(device), parse.GetValue(upscale)),
            parse.GetValue(samples), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, model: parse.GetValue(model)));
        return command;
    }

    internal static int Run(string dataFolder, string? configPath, string? weightsPath, EvaluationSettings settings, string? samplesFolder,
        string? jsonPath, TextWriter stdout, TextWriter stderr, IImageFeatureExtractor? features = null, string? model = null)
    {
        try
        {
            var (config, weights, maxTokens) = ModelFiles(model, configPath, weightsPath);
            if (jsonPath is not null) PrepareReportFile(jsonPath); // now, not after an hour of sampling
            var progress = new CallbackProgress<EvaluationProgress>(p =>
            {
                WarnSkipped(p.SkippedSamples, stderr);
                stdout.WriteLine(p.Generated == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{p.SetImages} captioned images in {dataFolder} ({p.Skipped} skipped); generating {p.Total}")
                    : string.Create(CultureInfo.InvariantCulture, $"generated {p.Generated}/{p.Total} ({p.Elapsed.TotalSeconds:F0} s)"));
            });
            var report = GenerationEvaluator.EvaluateAsync(new GenerationEvaluatorOptions
            {
                DataFolder = dataFolder,
                ModelConfigPath = config,
                WeightsPath = weights,
                Settings = settings,
                TextEncoder = new MiniLMTextEncoderOptions { MaxTokens = maxTokens },
                SamplesFolder = samplesFolder,
                Features = features,
            }, progress).GetAwaiter().GetResult();
            stdout.Write(Describe(report));
            if (jsonPath is not null)
                AtomicFile.Write(jsonPath, stream => JsonSerializer.Serialize(stream, report, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        catch (Exception e) when (e is MatryoshkaException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return InputRefused;
        }
    }

    // A named model's files and caption length come from its manifest; otherwise the given files or the embedded model's.
    private static (string Config, string Weights, int MaxTokens) ModelFiles(string? model, string? configPath, string? weightsPath)
    {
        if (model is null)
        {
            var (config, weights) = EmbeddedModel.OrGiven(configPath, weightsPath);
            return (config, weights, EmbeddedModel.MaxTokens);
        }
        if (configPath is not null || weightsPath is not null) throw new ArgumentException("give --model or --config/--weights, not both");
        var manifest = ModelManifest.Load(ModelFolders.Resolve(model));
        return (manifest.ConfigPath, manifest.WeightsPath, manifest.TextEncoder?.MaxTokens ?? EmbeddedModel.MaxTokens);
    }

    private static void PrepareReportFile(string jsonPath)
    {
        if (Directory.Exists(jsonPath)) throw new ArgumentException($"--json {jsonPath} is a folder; give the report's file name");
        AtomicFile.EnsureReplaceable(jsonPath); // a FIFO, device or symbolic link is refused before the hour of sampling
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
    }

    internal static string Describe(EvaluationReport report) => string.Create(CultureInfo.InvariantCulture, $"""
        caption retrieval over {report.Gallery} images, {report.Queries} queries: top-1 {report.Top1:P1}, top-5 {report.Top5:P1} (ResNet18); top-1 {report.PixelTop1:P1}, top-5 {report.PixelTop5:P1} (pixels, {PixelFeatureExtractor.Side}×{PixelFeatureExtractor.Side})
        FD-ResNet18: generated vs real {report.FdGenerated:F2} ({report.FdImages} each); real vs real {report.FdRealHalves:F2} (two halves of {report.RealHalfSize}){(report.FdRealSameSize is { } same ? $", {same:F2} ({report.FdImages} each)" : "")}
        sharpness (Laplacian variance of luma): generated {report.SharpnessGenerated:G4}, real {report.SharpnessReal:G4}, ratio {report.SharpnessRatio:F3}{(report.Settings.UpscaleTo is { } side ? $" (generated images upscaled bicubically to {side}²)" : "")}
        sampling: {report.Settings.Sampler}, {report.Settings.Steps} steps, guidance {report.Settings.Guidance}, seed {report.Settings.Seed}; {report.GenerationSeconds:F0} s generating

        """);

    private const int ListedSkips = 20;

    private static void WarnSkipped(IReadOnlyList<string> skipped, TextWriter stderr)
    {
        foreach (var sample in skipped.Take(ListedSkips)) stderr.WriteLine($"warning: skipped {sample}");
        if (skipped.Count > ListedSkips) stderr.WriteLine($"warning: … and {skipped.Count - ListedSkips} more skipped");
    }
}
