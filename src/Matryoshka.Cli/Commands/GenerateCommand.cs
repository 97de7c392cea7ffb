using System.CommandLine;
using System.Globalization;
using Matryoshka.Conditioning;
using Matryoshka.Conditioning.T5;
using Matryoshka.Guidance;
using Matryoshka.ImageSharp;
using Matryoshka.IO;
using Matryoshka.Pipelines;
using Matryoshka.Sampling;
using Matryoshka.Text.MiniLM;
using Spectre.Console;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka generate "a red apple" --out apple.png</c>: text-to-image. A prompt is encoded by all-MiniLM-L6-v2
/// and, without <c>--config</c>/<c>--weights</c>, drawn by the model embedded in the repository; with <c>--t5</c> it is
/// encoded by a T5 encoder through ml-mdm's tokenizer, as Apple's released models expect. Instead of a prompt,
/// precomputed text conditioning (a safetensors file with <c>lm_outputs</c>/<c>lm_mask</c>, or ml-mdm's
/// <c>_cond</c>/<c>_uncond</c> pairs) or class labels can be given. Writes PNGs and optionally a grid of every level.
/// Exit codes: 0 done, 1 failed while generating, 2 bad input.
/// </summary>
internal static class GenerateCommand
{
    internal const int Failed = 1;
    internal const int InputRefused = 2;

    internal sealed record Options(
        string? Config, string? Weights, string Conditioning, string Output,
        string? Negative = null, int? Steps = null, ulong? Seed = null, double? Guidance = null, string? Sampler = null, double Eta = 0,
        int? Batch = null, string? Grid = null, string? Pixels = null, string? Labels = null, IReadOnlyList<string>? Prompts = null, string NegativePrompt = "",
        string? T5 = null, string? Vocabulary = null, string? T5DType = null, string? Threshold = null, string? Model = null, string? Device = null);

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
        var device = DeviceOption.Create();
        var command = new Command("generate", "Generate images from a prompt (with the embedded model by default), precomputed text conditioning or class labels.");
        command.Arguments.Add(prompts);
        foreach (var option in new Option[] { config, weights, conditioning, labels, negativePrompt, negative, output, steps, seed, guidance, sampler, eta, batch, grid, pixels, t5, vocabulary, t5DType, threshold, model, device })
            command.Options.Add(option);
        command.SetAction(parse => Run(new Options(parse.GetValue(config), parse.GetValue(weights), parse.GetValue(conditioning) ?? "", parse.GetValue(output)!,
            parse.GetValue(negative), parse.GetValue(steps), parse.GetValue(seed), parse.GetValue(guidance), parse.GetValue(sampler), parse.GetValue(eta),
            parse.GetValue(batch), parse.GetValue(grid), parse.GetValue(pixels), parse.GetValue(labels), NoneIfEmpty(parse.GetValue(prompts)), parse.GetValue(negativePrompt)!,
            parse.GetValue(t5), parse.GetValue(vocabulary), parse.GetValue(t5DType), parse.GetValue(threshold), parse.GetValue(model), parse.GetValue(device)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(Options options, TextWriter stdout, TextWriter stderr)
    {
        using var scope = NewDisposeScope();
        MatryoshkaPipeline pipeline;
        GenerationRequest request;
        try
        {
            (pipeline, request) = Prepare(options);
        }
        catch (Exception e) when (e is MatryoshkaException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return InputRefused;
        }

        using (pipeline)
        {
            GenerationResult result;
            try
            {
                result = Console.IsOutputRedirected || stdout != Console.Out
                    ? pipeline.Generate(request, new PlainProgress(stdout))
                    : WithProgressBar(pipeline, request);
            }
            catch (MatryoshkaException e)
            {
                stderr.WriteLine($"refused: {e.Message}");
                return InputRefused;
            }
            using (result)
            {
                try
                {
                    foreach (var file in new[] { options.Output, options.Grid ?? options.Output })
                        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                    var paths = result.SaveAllAsPng(options.Output);
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
        }
    }

    // Builds the pipeline and the request; nothing is sampled yet, so every refusal comes before minutes of work.
    private static (MatryoshkaPipeline, GenerationRequest) Prepare(Options options)
    {
        if (options.T5 is null && (options.Vocabulary ?? options.T5DType) is not null) throw new ArgumentException("--vocab and --t5-dtype go with --t5");
        if (options.T5 is not null && options.Config is null)
            throw new ArgumentException("--t5 needs --config and --weights (Apple's released models, see docs/apple-models.md): the embedded model reads MiniLM embeddings");
        if (options.T5 is not null && options.Prompts is null) throw new ArgumentException("--t5 encodes prompts: give a prompt, not --conditioning or --labels");
        if ((options.Config is null) != (options.Weights is null)) throw new ArgumentException("give both --config and --weights, or neither to use a model folder (--model)");
        if (options.Config is not null && options.Model is not null) throw new ArgumentException("give --model or --config/--weights, not both");
        if (new[] { options.Prompts is not null, options.Labels is not null, !string.IsNullOrEmpty(options.Conditioning) }.Count(given => given) != 1)
            throw new ArgumentException("give exactly one of a prompt, --conditioning (precomputed text conditioning) and --labels (class-conditional models)");
        var apple = options.T5 is null ? null : AppleDemo.Preset;
        string? folder = options.Config is null ? ModelFolders.Resolve(options.Model) : null;
        var builder = MatryoshkaPipeline.CreateBuilder();
        // A model folder brings its own tuned settings (manifest); other models get ml-mdm's demo defaults. Only what
        // the user gives explicitly overrides them.
        if (options.Sampler is not null || folder is null) builder.WithSampler(Samplers.FromName(options.Sampler ?? apple?.Sampler ?? "ddim", options.Eta));
        if (options.Steps is { } steps) builder.WithSteps(steps);
        if (options.Guidance is { } scale) builder.WithGuidance(new ClassifierFreeGuidanceOptions { Scale = scale });
        if ((Thresholds.Parse(options.Threshold) ?? apple?.Thresholding) is { } thresholding) builder.WithThresholding(thresholding);
        if (PixelsOption(options.Pixels) is { } pixels) builder.WithPixels(pixels);
        if (options.Device is not null) builder.OnDevice(options.Device);

        GenerationRequest request;
        if (folder is not null)
        {
            builder.FromPretrained(folder);
            request = options.Prompts is { } prompts ? PromptRequest(prompts, options) : ConditioningRequest(options, ManifestWeights(folder));
        }
        else if (options.Prompts is { } prompts)
        {
            CheckPrompts(prompts, options);
            // Encoded first and the encoder freed before the model loads: flan-t5-xl alone holds 4.9 GB in float32.
            var (conditional, unconditional) = Encode(options, prompts, out int textWidth);
            builder.FromMlMdm(options.Config!, options.Weights!, textWidth);
            request = new GenerationRequest { Conditioning = conditional, NegativeConditioning = unconditional, BatchSize = prompts.Count };
        }
        else
        {
            request = ConditioningRequest(options, options.Weights!);
            builder.FromMlMdm(options.Config!, options.Weights!, (int)request.Conditioning!.Embeddings.shape[2]);
        }
        request = request with
        {
            Steps = options.Steps ?? apple?.Steps ?? (folder is null ? 50 : null),
            Seed = options.Seed ?? apple?.Seed,
            GuidanceScale = options.Guidance ?? apple?.Guidance ?? (folder is null ? 7.5 : null),
            BatchSize = options.Batch ?? request.BatchSize,
        };
        // Checked before sampling, which can take minutes, rather than when the images are written.
        int count = request.Prompts?.Count ?? request.BatchSize;
        foreach (var file in GenerationResultImages.NumberedPaths(options.Output, count).Append(options.Grid ?? options.Output))
            if (Directory.Exists(file)) throw new ArgumentException($"{file} is a folder: --out and --grid name the PNG files to write");
        return (builder.Build(), request);
    }

    private static GenerationRequest PromptRequest(IReadOnlyList<string> prompts, Options options)
    {
        CheckPrompts(prompts, options);
        return prompts.Count == 1
            ? new GenerationRequest(prompts[0]) { NegativePrompt = options.NegativePrompt, BatchSize = options.Batch ?? 1 }
            : new GenerationRequest { Prompts = prompts, NegativePrompt = options.NegativePrompt };
    }

    private static void CheckPrompts(IReadOnlyList<string> prompts, Options options)
    {
        if (prompts.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("a prompt is empty");
        if (prompts.Count > 1 && options.Batch is { } count && count != prompts.Count)
            throw new ArgumentException($"--batch {count} with {prompts.Count} prompts: several prompts give one image each (repeat a prompt for more)");
    }

    private static GenerationRequest ConditioningRequest(Options options, string weightsPath)
    {
        var (conditional, unconditional) = options.Labels is { } list
            ? ClassConditioning(weightsPath, list)
            : ReadConditioning(options.Conditioning, options.Negative);
        if ((options.Guidance ?? 7.5) != 1 && unconditional is null)
            throw new ArgumentException("--guidance other than 1 needs unconditional conditioning: --negative FILE, or lm_outputs_uncond/lm_mask_uncond in --conditioning");
        return new GenerationRequest { Conditioning = conditional, NegativeConditioning = unconditional, BatchSize = (int)conditional.Embeddings.shape[0] };
    }

    private static string ManifestWeights(string folder) => Matryoshka.Pipelines.Pretrained.ModelManifest.Load(folder).WeightsPath;

    private static PixelConvention? PixelsOption(string? name) => name?.ToLowerInvariant() switch
    {
        null => null,
        "mlmdm" => PixelConvention.MlMdm,
        "standard" => PixelConvention.Standard,
        var other => throw new ArgumentException($"--pixels '{other}' is not one of mlmdm, standard"),
    };

    // The prompts and the negative prompt through T5 (--t5) or all-MiniLM-L6-v2, which is disposed afterwards.
    private static (TextConditioning Conditional, TextConditioning Unconditional) Encode(Options options, IReadOnlyList<string> prompts, out int width)
    {
        ITextEncoder encoder = options.T5 is { } folder
            ? T5TextEncoder.FromPretrained(folder, options.Vocabulary ?? AppleDemo.VocabularyPath, CPU, T5DType(options.T5DType))
            : new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = EmbeddedModel.MaxTokens });
        using (encoder as IDisposable)
        {
            width = encoder.EmbeddingDim;
            return (encoder.Encode(prompts, CPU), encoder.Encode(new[] { options.NegativePrompt }, CPU));
        }
    }

    private static ScalarType T5DType(string? name) => name?.ToLowerInvariant() switch
    {
        null or "float32" => ScalarType.Float32,
        "bfloat16" => ScalarType.BFloat16,
        var other => throw new ArgumentException($"--t5-dtype '{other}' is not one of float32, bfloat16"),
    };

    private static GenerationResult WithProgressBar(MatryoshkaPipeline pipeline, GenerationRequest request)
    {
        GenerationResult? result = null;
        AnsiConsole.Progress().Start(context =>
        {
            var task = context.AddTask("denoising", maxValue: request.Steps ?? pipeline.DefaultSteps);
            result = pipeline.Generate(request, new Progress(p => task.Value = p.Step));
        });
        return result!;
    }

    private static (TextConditioning Conditional, TextConditioning? Unconditional) ReadConditioning(string path, string? negativePath)
    {
        var tensors = SafetensorsReader.Load(path);
        TextConditioning? Pair(Dictionary<string, Tensor> t, string suffix) =>
            t.TryGetValue("lm_outputs" + suffix, out var e) && t.TryGetValue("lm_mask" + suffix, out var m) ? new TextConditioning(e, m) : null;
        var conditional = Pair(tensors, "") ?? Pair(tensors, "_cond")
            ?? throw new ArgumentException($"{path} has neither lm_outputs + lm_mask nor lm_outputs_cond + lm_mask_cond");
        var unconditional = negativePath is null ? Pair(tensors, "_uncond") : Pair(SafetensorsReader.Load(negativePath), "")
            ?? throw new ArgumentException($"{negativePath} has no lm_outputs + lm_mask");
        return (conditional, unconditional);
    }

    // A class-conditional model's conditioning is a row of its class-embedding table (one token, mask 1); the last row
    // is the learned "no class" token that classifier-free guidance trained against.
    private static (TextConditioning Conditional, TextConditioning? Unconditional) ClassConditioning(string weightsPath, string labelList)
    {
        var weights = SafetensorsReader.Load(weightsPath, CPU, name => name.EndsWith("class_embedding.weight", StringComparison.Ordinal));
        if (weights.Count != 1) throw new ArgumentException($"{weightsPath} holds no class_embedding.weight: the model is not class-conditional");
        var table = weights.Values.Single();
        long classes = table.shape[0] - 1;
        var labels = labelList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(text =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long label) && label < classes
                ? label
                : throw new ArgumentException($"--labels: '{text}' is not a class label 0 … {classes - 1}")).ToArray();
        if (labels.Length == 0) throw new ArgumentException("--labels: no label given");
        var conditional = table.index_select(0, tensor(labels)).unsqueeze(1);
        var unconditional = table.narrow(0, classes, 1).unsqueeze(1);
        return (new TextConditioning(conditional, ones(labels.Length, 1)), new TextConditioning(unconditional, ones(1, 1)));
    }

    private static string[]? NoneIfEmpty(string[]? prompts) => prompts is { Length: > 0 } ? prompts : null;

    private sealed class PlainProgress(TextWriter stdout) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) =>
            stdout.WriteLine(FormattableString.Invariant($"step {value.Step}/{value.Total} ({value.Elapsed.TotalSeconds:F1} s)"));
    }

    private sealed class Progress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
