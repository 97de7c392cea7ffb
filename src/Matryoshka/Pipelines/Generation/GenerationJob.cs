using Matryoshka.Conditioning;
using Matryoshka.Guidance;
using Matryoshka.Sampling;
using static TorchSharp.torch;

namespace Matryoshka.Pipelines.Generation;

/// <summary>
/// Text-to-image (or conditioning- or label-to-image) from a model folder or an ml-mdm model, in two steps:
/// <see cref="Prepare"/> checks the inputs, reads conditioning files and encodes prompts, so that every refusal comes
/// before the model loads and minutes of sampling; <see cref="Run"/> builds the pipeline, generates, and frees the
/// model again. Save the images with Matryoshka.ImageSharp's <c>GenerationResultImages</c>.
/// <code>
/// using var job = GenerationJob.Prepare(new GenerationJobOptions
/// {
///     Model = GenerationModel.FromFolder(folder),
///     Input = GenerationInput.FromPrompts(["a red apple"]),
///     Seed = 1,
/// });
/// using var result = job.Run();
/// </code>
/// </summary>
public sealed class GenerationJob : IDisposable
{
    private readonly MatryoshkaPipelineBuilder _builder;
    private readonly IReadOnlyList<Tensor> _owned;

    private GenerationJob(MatryoshkaPipelineBuilder builder, GenerationRequest request, IReadOnlyList<Tensor> owned)
    {
        _builder = builder;
        Request = request;
        _owned = owned;
    }

    /// <summary>The request <see cref="Run"/> generates (its conditioning tensors belong to this job).</summary>
    public GenerationRequest Request { get; }

    /// <summary>How many images (or clips) <see cref="Run"/> draws.</summary>
    public int ImageCount => Request.Prompts?.Count ?? Request.BatchSize;

    /// <summary>Frames per clip the model makes (1 for an image model), known before the model is built.</summary>
    public int FramesPerClip { get; private init; } = 1;

    /// <summary>Checks the options, reads conditioning or encodes prompts, and sets up the pipeline (the model is not loaded yet).</summary>
    /// <exception cref="GenerationJobException">The inputs do not go together, or a conditioning file or label does not fit.</exception>
    /// <exception cref="MatryoshkaException">A file, name or setting is refused (the message names it).</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static GenerationJob Prepare(GenerationJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        var (builder, request) = Setup(WithPreset(options));
        var owned = new[] { request.Conditioning, request.NegativeConditioning }
            .SelectMany(c => c is null ? Array.Empty<Tensor>() : new[] { c.Embeddings, c.Mask }).ToArray();
        foreach (var tensor in owned) tensor.MoveToOuterDisposeScope();
        return new GenerationJob(builder, request, owned) { FramesPerClip = builder.FramesPerClip() ?? 1 };
    }

    /// <summary>Loads the model, generates <see cref="Request"/> and frees the model.</summary>
    /// <exception cref="MatryoshkaException">The model or a setting is refused, or generation fails on bad input.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public GenerationResult Run(IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var pipeline = _builder.Build();
        return pipeline.Generate(Request, progress, cancellationToken);
    }

    /// <summary>Frees the conditioning tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in _owned) tensor.Dispose();
    }

    // The preset's settings where the options leave them null: from then on they count as given explicitly.
    private static GenerationJobOptions WithPreset(GenerationJobOptions options) => options.Preset is not { } preset ? options : options with
    {
        Sampler = options.Sampler ?? preset.Sampler,
        Steps = options.Steps ?? preset.Steps,
        Guidance = options.Guidance ?? preset.Guidance,
        Thresholding = options.Thresholding ?? preset.Thresholding,
        Seed = options.Seed ?? preset.Seed,
    };

    private static (MatryoshkaPipelineBuilder, GenerationRequest) Setup(GenerationJobOptions options)
    {
        var (model, input) = (options.Model ?? throw new ArgumentException("no model", nameof(options)), options.Input ?? throw new ArgumentException("no input", nameof(options)));
        if (options.MemoryLimitBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.MemoryLimitBytes, "MemoryLimitBytes must be positive.");
        bool folder = model.Folder is not null;
        var builder = MatryoshkaPipeline.CreateBuilder();
        // A model folder brings its own tuned settings (manifest); ml-mdm models get ml-mdm's demo defaults. Only what
        // the caller gives explicitly overrides them.
        if (options.Sampler is not null || !folder) builder.WithSampler(Samplers.FromName(options.Sampler ?? "ddim", options.Eta));
        if (options.Steps is { } steps) builder.WithSteps(steps);
        if (options.Guidance is { } scale) builder.WithGuidance(new ClassifierFreeGuidanceOptions { Scale = scale });
        if (options.Thresholding is { } thresholding) builder.WithThresholding(thresholding);
        if (options.Pixels is { } pixels) builder.WithPixels(pixels);
        if (options.Device is not null) builder.OnDevice(options.Device);

        GenerationRequest request;
        if (folder)
        {
            builder.FromPretrained(model.Folder!);
            request = input.Prompts is { } prompts ? PromptRequest(prompts, input.NegativePrompt, options.BatchSize) : ConditioningRequest(options, model.Weights);
        }
        else if (input.Prompts is { } prompts)
        {
            CheckPrompts(prompts, options.BatchSize);
            var encoder = options.PromptEncoder ?? throw new GenerationJobException("prompts for an ml-mdm model need a PromptEncoder: the model folder's manifest is what names an encoder");
            var (conditional, unconditional, width) = Encode(encoder, prompts, input.NegativePrompt);
            builder.FromMlMdm(model.ConfigPath!, model.WeightsPath!, width);
            request = new GenerationRequest { Conditioning = conditional, NegativeConditioning = unconditional, BatchSize = prompts.Count };
        }
        else
        {
            request = ConditioningRequest(options, model.WeightsPath!);
            builder.FromMlMdm(model.ConfigPath!, model.WeightsPath!, (int)request.Conditioning!.Embeddings.shape[2]);
        }
        // Before Run builds the model: an absurd config is refused here, not by the allocator.
        builder.CheckModelMemory(options.MemoryLimitBytes);
        if (options.Frames is int frames && builder.FramesPerClip() is int made && frames != made)
            throw new GenerationJobException(made == 1
                ? $"{frames} frames asked for, but the model makes images (it has no temporal level)"
                : $"{frames} frames asked for, but the model makes clips of {made} frames (a {(int)Math.Sqrt(made)} × {(int)Math.Sqrt(made)} grid); its frame count is fixed by its architecture");
        request = request with
        {
            Steps = options.Steps ?? (folder ? null : 50),
            Seed = options.Seed,
            GuidanceScale = options.Guidance ?? (folder ? null : 7.5),
            BatchSize = options.BatchSize ?? request.BatchSize,
        };
        return (builder, request);
    }

    private static GenerationRequest PromptRequest(IReadOnlyList<string> prompts, string negativePrompt, int? batchSize)
    {
        CheckPrompts(prompts, batchSize);
        return prompts.Count == 1
            ? new GenerationRequest(prompts[0]) { NegativePrompt = negativePrompt, BatchSize = batchSize ?? 1 }
            : new GenerationRequest { Prompts = prompts, NegativePrompt = negativePrompt };
    }

    private static void CheckPrompts(IReadOnlyList<string> prompts, int? batchSize)
    {
        if (prompts.Count == 0) throw new GenerationJobException("no prompt given");
        if (prompts.Any(string.IsNullOrWhiteSpace)) throw new GenerationJobException("a prompt is empty");
        if (prompts.Count > 1 && batchSize is { } count && count != prompts.Count)
            throw new GenerationJobException($"batch size {count} with {prompts.Count} prompts: several prompts give one image each (repeat a prompt for more)");
    }

    private static GenerationRequest ConditioningRequest(GenerationJobOptions options, string weightsPath)
    {
        var input = options.Input;
        var (conditional, unconditional) = input.ClassLabels is { } labels
            ? ClassConditioning.FromWeights(weightsPath, labels)
            : ConditioningFiles.Read(input.ConditioningFile!, input.NegativeConditioningFile);
        if ((options.Guidance ?? 7.5) != 1 && unconditional is null)
            throw new GenerationJobException(
                $"guidance other than 1 needs unconditional conditioning: a negative conditioning file, or lm_outputs_uncond/lm_mask_uncond in {input.ConditioningFile}");
        return new GenerationRequest { Conditioning = conditional, NegativeConditioning = unconditional, BatchSize = (int)conditional.Embeddings.shape[0] };
    }

    // The prompts and the negative prompt through the caller's encoder, which is disposed before the model loads
    // (flan-t5-xl alone holds 4.9 GB in float32).
    private static (TextConditioning Conditional, TextConditioning Unconditional, int Width) Encode(Func<ITextEncoder> create, IReadOnlyList<string> prompts, string negativePrompt)
    {
        var encoder = create();
        using (encoder as IDisposable)
        {
            var host = CPU;
            return (encoder.Encode(prompts, host), encoder.Encode(new[] { negativePrompt }, host), encoder.EmbeddingDim);
        }
    }
}
