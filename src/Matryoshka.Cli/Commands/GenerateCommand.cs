using System.CommandLine;
using System.Globalization;
using Matryoshka.Conditioning.T5;
using Matryoshka.IO;
using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;
using Matryoshka.Pipelines.Generation;
using Matryoshka.Text.MiniLM;
using Spectre.Console;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka generate "a red apple" --out apple.png</c>: text-to-image with a shipped model folder (by default),
/// any model folder, or an ml-mdm model whose prompts are encoded by all-MiniLM-L6-v2 or, with <c>--t5</c>, by a T5
/// encoder as Apple's released models expect; or from precomputed text conditioning or class labels
/// (<see cref="GenerationJob"/>). Writes PNGs and optionally a grid of every level.
/// Exit codes: 0 done, 1 failed while writing the images, 2 bad input.
/// </summary>
internal static class GenerateCommand
{
    internal const int Failed = 1;
    internal const int InputRefused = 2;

    internal sealed record Options(
        string? Config, string? Weights, string Conditioning, string Output,
        string? Negative = null, int? Steps = null, ulong? Seed = null, double? Guidance = null, string? Sampler = null, double Eta = 0,
        int? Batch = null, string? Grid = null, string? Pixels = null, string? Labels = null, IReadOnlyList<string>? Prompts = null, string NegativePrompt = "",
        string? T5 = null, string? Vocabulary = null, string? T5DType = null, string? Threshold = null, string? Model = null, string? Device = null, int? Threads = null, int? Frames = null);

    public static Command Create()
    {
        var prompts = new Argument<string[]>("prompts") { Description = "What to draw, encoded by all-MiniLM-L6-v2; several prompts give one image each (or give --conditioning or --labels).", Arity = ArgumentArity.ZeroOrMore };
        var negativePrompt = new Option<string>("--negative-prompt") { Description = "What guidance steers away from (with a prompt).", DefaultValueFactory = _ => "" };
        var config = new Option<string?>("--config", "--mlmdm-config") { Description = "ml-mdm model config (YAML or config.json); default: the embedded emoji model." };
        var weights = new Option<string?>("--weights") { Description = "Weights (.safetensors or ml-mdm .pth); default: the embedded emoji model's." };
        var conditioning = new Option<string?>("--conditioning") { Description = "Text conditioning: safetensors with lm_outputs + lm_mask (or lm_outputs_cond/_uncond pairs)." };
        var labels = new Option<string?>("--labels") { Description = "Class-conditional models instead of --conditioning: comma-separated class labels, one image each (e.g. 0,1,2)." };
        var negative = new Option<string?>("--negative") { Description = "Unconditional (negative-prompt) conditioning, if not in --conditioning." };
        var output = new Option<string>("--out") { Description = "Output PNG (with -<index> per image when --batch > 1).", Required = true };
        var steps = new Option<int?>("--steps") { Description = "Sampling steps (default: 20 for the embedded model, 50 otherwise)." };
        var seed = new Option<ulong?>("--seed") { Description = "Noise seed (random when omitted; printed)." };
        var guidance = new Option<double?>("--guidance") { Description = "Classifier-free guidance scale, 1 = off (default: 5 for the embedded model, 7.5 otherwise)." };
        var sampler = new Option<string?>("--sampler") { Description = "ddim, ddpm or dpm++2m (default: dpm++2m for the embedded model, ddim otherwise)." };
        var eta = new Option<double>("--eta") { Description = "DDIM η.", DefaultValueFactory = _ => 0 };
        var batch = new Option<int?>("--batch") { Description = "Images to generate (default: one per prompt, label or conditioning row)." };
        var grid = new Option<string?>("--grid") { Description = "Also write a PNG showing every level of every image." };
        var t5 = new Option<string?>("--t5") { Description = "Encode prompts with this Hugging Face T5 folder (config.json + safetensors, e.g. flan-t5-xl) through ml-mdm's tokenizer, for Apple's released models (with --config and --weights); presets Apple's demo: DDIM, 50 steps, guidance 7.5, DeepFloyd thresholding, seed 137." };
        var vocabulary = new Option<string?>("--vocab") { Description = "With --t5: ml-mdm's t5.vocab (default: the copy shipped with this tool)." };
        var t5DType = new Option<string?>("--t5-dtype") { Description = "With --t5: float32 (default) or bfloat16 (half the memory)." };
        var threshold = new Option<string?>("--threshold") { Description = "x₀ thresholding: none, clip, dynamic or dynamic_if (default: the config's; dynamic_if with --t5)." };
        var pixels = new Option<string?>("--pixels") { Description = "Pixel conversion: mlmdm (x·128+127) or standard ((x+1)·127.5); default: standard for the embedded model, mlmdm otherwise." };
        var model = new Option<string?>("--model") { Description = $"A model folder with a matryoshka.json manifest, or the name of a model shipped with this tool ({string.Join(", ", ModelFolders.ShippedNames)}); default: {ModelFolders.DefaultName}." };
        var frames = new Option<int?>("--frames") { Description = "Frames per clip, for a video model (its architecture fixes the number; others are refused): writes --out as a strip of the frames and an animated GIF beside it." };
        var device = DeviceOption.Create();
        var threads = ThreadsOption.Create();
        var command = new Command("generate", "Generate images from a prompt (with the embedded model by default), precomputed text conditioning or class labels.");
        command.Arguments.Add(prompts);
        foreach (var option in new Option[] { config, weights, conditioning, labels, negativePrompt, negative, output, steps, seed, guidance, sampler, eta, batch, grid, pixels, t5, vocabulary, t5DType, threshold, model, frames, device, threads })
            command.Options.Add(option);
        command.SetAction(parse => Run(new Options(parse.GetValue(config), parse.GetValue(weights), parse.GetValue(conditioning) ?? "", parse.GetValue(output)!,
            parse.GetValue(negative), parse.GetValue(steps), parse.GetValue(seed), parse.GetValue(guidance), parse.GetValue(sampler), parse.GetValue(eta),
            parse.GetValue(batch), parse.GetValue(grid), parse.GetValue(pixels), parse.GetValue(labels), NoneIfEmpty(parse.GetValue(prompts)), parse.GetValue(negativePrompt)!,
            parse.GetValue(t5), parse.GetValue(vocabulary), parse.GetValue(t5DType), parse.GetValue(threshold), parse.GetValue(model), parse.GetValue(device), parse.GetValue(threads), parse.GetValue(frames)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(Options options, TextWriter stdout, TextWriter stderr)
    {
        if (!ThreadsOption.TryApply(options.Threads, stderr)) return InputRefused;
        using var scope = NewDisposeScope();
        GenerationResult result;
        try
        {
            using var job = GenerationJob.Prepare(JobOptions(options));
            // Checked before sampling, which can take minutes, rather than when the images are written.
            foreach (var file in GenerationResultImages.OutputPaths(options.Output, job.FramesPerClip > 1, job.ImageCount).Append(options.Grid ?? options.Output))
            {
                if (Directory.Exists(file)) throw new ArgumentException($"{file} is a folder: --out and --grid name the PNG files to write");
                AtomicFile.EnsureReplaceable(file);
            }
            result = Console.IsOutputRedirected || stdout != Console.Out
                ? job.Run(new Progress(p => stdout.WriteLine(FormattableString.Invariant($"step {p.Step}/{p.Total} ({p.Elapsed.TotalSeconds:F1} s)"))))
                : WithProgressBar(job);
        }
        catch (Exception e) when (e is MatryoshkaException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return InputRefused;
        }
        using (result) return Write(result, options, stdout, stderr);
    }

    private static int Write(GenerationResult result, Options options, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            foreach (var file in new[] { options.Output, options.Grid ?? options.Output })
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var paths = result.SaveOutputs(options.Output);
            if (options.Grid is not null) result.SaveLevelGridAsPng(options.Grid);
            stdout.WriteLine(FormattableString.Invariant(
                $"wrote {string.Join(", ", paths)}{(options.Grid is null ? "" : ", " + options.Grid)} ({result.Steps} steps, seed {result.Seed}, {result.Elapsed.TotalSeconds:F1} s)"));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MatryoshkaException)
        {
            stderr.WriteLine($"failed to write the images: {e.Message}");
            return Failed;
        }
    }

    // The command line as the library's options: which combinations of options go together, names parsed, and with
    // --t5 Apple's demo settings (the preset) under what is given explicitly.
    private static GenerationJobOptions JobOptions(Options options)
    {
        if (options.T5 is null && (options.Vocabulary ?? options.T5DType) is not null) throw new ArgumentException("--vocab and --t5-dtype go with --t5");
        if (options.T5 is not null && options.Config is null)
            throw new ArgumentException("--t5 needs --config and --weights (Apple's released models, see docs/apple-models.md): the embedded model reads MiniLM embeddings");
        if (options.T5 is not null && options.Prompts is null) throw new ArgumentException("--t5 encodes prompts: give a prompt, not --conditioning or --labels");
        if ((options.Config is null) != (options.Weights is null)) throw new ArgumentException("give both --config and --weights, or neither to use a model folder (--model)");
        if (options.Config is not null && options.Model is not null) throw new ArgumentException("give --model or --config/--weights, not both");
        if (new[] { options.Prompts is not null, options.Labels is not null, !string.IsNullOrEmpty(options.Conditioning) }.Count(given => given) != 1)
            throw new ArgumentException("give exactly one of a prompt, --conditioning (precomputed text conditioning) and --labels (class-conditional models)");
        var model = options.Config is null ? GenerationModel.FromFolder(ModelFolders.Resolve(options.Model)) : GenerationModel.FromMlMdm(options.Config, options.Weights!);
        var input = options.Prompts is { } prompts ? GenerationInput.FromPrompts(prompts, options.NegativePrompt)
            : options.Labels is { } labels ? GenerationInput.FromClassLabels(Labels(labels))
            : GenerationInput.FromConditioningFile(options.Conditioning, options.Negative);
        var t5DType = options.T5DType is null ? ScalarType.Float32 : NamedOption.Parse("--t5-dtype", options.T5DType, T5DTypes.Keys, name => T5DTypes[name]);
        return new GenerationJobOptions
        {
            Model = model,
            Input = input,
            PromptEncoder = options.T5 is { } folder
                ? () => T5TextEncoder.FromPretrained(folder, options.Vocabulary ?? AppleDemo.VocabularyPath, CPU, t5DType)
                : () => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = EmbeddedModel.MaxTokens }),
            Preset = options.T5 is null ? null : AppleDemo.Preset,
            Sampler = options.Sampler,
            Eta = options.Eta,
            Steps = options.Steps,
            Guidance = options.Guidance,
            Seed = options.Seed,
            BatchSize = options.Batch,
            Thresholding = NamedOption.Threshold(options.Threshold),
            Pixels = options.Pixels is null ? null : NamedOption.Parse("--pixels", options.Pixels, PixelConventionNames.Names, PixelConventionNames.FromName),
            Device = options.Device,
            Frames = options.Frames,
        };
    }

    private static long[] Labels(string list)
    {
        var labels = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(text =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long label) ? label : throw new ArgumentException($"--labels: '{text}' is not a class label")).ToArray();
        return labels.Length > 0 ? labels : throw new ArgumentException("--labels: no label given");
    }

    private static readonly Dictionary<string, ScalarType> T5DTypes = new(StringComparer.OrdinalIgnoreCase) { ["float32"] = ScalarType.Float32, ["bfloat16"] = ScalarType.BFloat16 };

    private static GenerationResult WithProgressBar(GenerationJob job)
    {
        GenerationResult? result = null;
        AnsiConsole.Progress().Start(context =>
        {
            var task = context.AddTask("denoising", maxValue: job.Request.Steps ?? 1);
            result = job.Run(new Progress(p =>
            {
                task.MaxValue = p.Total;
                task.Value = p.Step;
            }));
        });
        return result!;
    }

    private static string[]? NoneIfEmpty(string[]? prompts) => prompts is { Length: > 0 } ? prompts : null;

    // Reports on the sampling thread, in step order (System.Progress would post them to the thread pool).
    private sealed class Progress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
