using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Models;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Matryoshka.Pipelines;

/// <summary>
/// Text-to-image generation with a Matryoshka model: every level denoised jointly, guided, from seeded noise.
/// Immutable and safe to use from several callers at once; each generation runs synchronously on one thread
/// (TorchSharp's dispose scopes and inference mode are thread-local) and surfaces as a task or an async stream.
/// </summary>
public sealed class MatryoshkaPipeline : IDisposable
{
    private readonly NestedUNet _model;
    private readonly bool _ownsModel;
    private readonly IDisposable? _ownedEncoder;
    private readonly ITextEncoder? _textEncoder;
    private readonly IGuidance _guidance;
    private readonly TimestepSpacing _spacing;
    private readonly ILogger _logger;
    private readonly PipelineLifetime _lifetime;

    internal MatryoshkaPipeline(NestedUNet model, bool ownsModel, IDisposable? ownedEncoder, PipelineSettings settings, ILogger logger)
    {
        _logger = logger;
        _model = model;
        _ownsModel = ownsModel;
        _ownedEncoder = ownedEncoder;
        Schedule = settings.Schedule;
        Prediction = settings.Prediction;
        Sampler = settings.Sampler;
        Thresholding = settings.Thresholding;
        _guidance = settings.Guidance;
        _textEncoder = settings.TextEncoder;
        DefaultSteps = settings.Steps;
        _spacing = settings.Spacing;
        Device = settings.Device;
        DType = settings.DType;
        Pixels = settings.Pixels;
        Name = settings.Name;
        _metricsTag = new KeyValuePair<string, object?>(PipelineMetrics.PipelineTag, settings.MetricsName ?? settings.Name ?? "");
        _lifetime = new PipelineLifetime(ReleaseResources);
    }

    /// <summary>Starts a builder.</summary>
    public static MatryoshkaPipelineBuilder CreateBuilder() => new();

    /// <summary>
    /// A ready pipeline for a model folder with a manifest (<c>matryoshka.json</c>): its weights, text encoder,
    /// pixel convention and tuned settings. <paramref name="configure"/> may override any of them.
    /// </summary>
    /// <exception cref="MatryoshkaException">The folder, its manifest or its files are invalid (the message names them).</exception>
    public static MatryoshkaPipeline FromPretrained(string folder, Action<MatryoshkaPipelineBuilder>? configure = null)
    {
        var builder = CreateBuilder().FromPretrained(folder);
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary><see cref="FromPretrained"/> on a worker thread (loading weights and the encoder takes a while).</summary>
    public static Task<MatryoshkaPipeline> FromPretrainedAsync(string folder, Action<MatryoshkaPipelineBuilder>? configure = null,
        CancellationToken cancellationToken = default) =>
        Task.Run(() => FromPretrained(folder, configure), cancellationToken);

    /// <summary>The model's name from its manifest; null when built without one.</summary>
    public string? Name { get; }

    // The matryoshka.pipeline tag of this pipeline's measurements.
    private readonly KeyValuePair<string, object?> _metricsTag;

    /// <summary>How the model's values map to pixel bytes; every <see cref="GenerationResult"/> carries it.</summary>
    public PixelConvention Pixels { get; }

    /// <summary>The model's resolved architecture.</summary>
    public ModelPlan Model => _model.Plan;

    /// <summary>Per-level schedules.</summary>
    public MultiResolutionSchedule Schedule { get; }

    /// <summary>What the model predicts.</summary>
    public PredictionType Prediction { get; }

    /// <summary>The sampling algorithm.</summary>
    public ISampler Sampler { get; }

    /// <summary>x₀ thresholding.</summary>
    public Thresholding Thresholding { get; }

    /// <summary>Steps used when a request does not say.</summary>
    public int DefaultSteps { get; }

    /// <summary>Device generation runs on.</summary>
    public Device Device { get; }

    /// <summary>Working dtype.</summary>
    public ScalarType DType { get; }

    /// <summary>Generates on the calling thread.</summary>
    /// <exception cref="MatryoshkaException">The request is invalid (the message says why).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the pipeline stays usable.</exception>
    public GenerationResult Generate(GenerationRequest request, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run(request, progress, preview: null, cancellationToken);

    /// <summary>
    /// Generates on the calling thread, reporting a preview (the x₀ estimate of every level) to <paramref name="previews"/>
    /// after each step: for hosts that run generations on threads of their own (see <see cref="GenerateWithPreviewsAsync"/>).
    /// </summary>
    /// <exception cref="MatryoshkaException">The request is invalid (the message says why).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the sampler stops at its next step.</exception>
    public GenerationResult GenerateWithPreviews(GenerationRequest request, IProgress<GenerationPreview> previews, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previews);
        return Run(request, null, previews.Report, cancellationToken);
    }

    /// <summary>Generates on a dedicated thread; the task completes with the images of every level.</summary>
    public Task<GenerationResult> GenerateAsync(GenerationRequest request, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.Factory.StartNew(() => Run(request, progress, preview: null, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Generates on a dedicated thread, reporting a preview (the x₀ estimate of every level) to <paramref name="previews"/>
    /// after each step, and completes with the final images: for callers that show the levels forming and then need the
    /// result (<see cref="StreamAsync"/> yields previews only). <c>Report</c> runs on the generation thread, in step
    /// order; the receiver owns each preview, and the next step waits until <c>Report</c> returns.
    /// </summary>
    /// <exception cref="MatryoshkaException">The request is invalid (the message says why).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the sampler stops at its next step.</exception>
    public Task<GenerationResult> GenerateWithPreviewsAsync(GenerationRequest request, IProgress<GenerationPreview> previews, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(previews);
        return Task.Factory.StartNew(() => Run(request, null, previews.Report, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Generates on a dedicated thread and yields a preview (the x₀ estimate of every level) after each step. The
    /// consumer owns each preview. Breaking out of the loop or cancelling stops the generation within one step.
    /// </summary>
    public async IAsyncEnumerable<GenerationPreview> StreamAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<GenerationPreview>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var worker = Task.Factory.StartNew(() =>
        {
            try
            {
                using var result = Run(request, null, p => channel.Writer.WriteAsync(p, stop.Token).AsTask().GetAwaiter().GetResult(), stop.Token);
                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            await foreach (var preview in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return preview;
        }
        finally
        {
            stop.Cancel();
            try { await worker.ConfigureAwait(false); } catch (OperationCanceledException) { }
            while (channel.Reader.TryRead(out var left)) left.Dispose();
        }
    }

    private GenerationResult Run(GenerationRequest request, IProgress<GenerationProgress>? progress, Action<GenerationPreview>? preview, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var lease = _lifetime.Enter(cancellationToken);
        return RunLeased(request, progress, preview, lease.Token);
    }

    private GenerationResult RunLeased(GenerationRequest request, IProgress<GenerationProgress>? progress, Action<GenerationPreview>? preview, CancellationToken cancellationToken)
    {
        if (request.BatchSize < 1 || request.BatchSize > 1024)
            throw new MatryoshkaException($"BatchSize must be in [1, 1024]; got {request.BatchSize}.");
        if (request.Prompts is { } prompts)
        {
            if (request.Prompt is not null || request.Conditioning is not null)
                throw new MatryoshkaException("Give Prompts, Prompt or Conditioning, not several of them.");
            if (prompts.Count is < 1 or > 1024 || (request.BatchSize != 1 && request.BatchSize != prompts.Count))
                throw new MatryoshkaException($"Prompts has {prompts.Count} entries; it must have 1 … 1024, and BatchSize must be 1 or the same number (got {request.BatchSize}).");
            request = request with { BatchSize = prompts.Count };
        }
        int steps = request.Steps ?? DefaultSteps;
        var guidance = GuidanceFor(request);
        ulong? seed = request.Noise is null ? request.Seed ?? (ulong)Random.Shared.NextInt64() : null;

        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var plan = new SamplingPlan(Schedule, CheckedTimesteps(steps), Prediction, Thresholding);
        int batch = request.BatchSize;
        var denoiser = Model.IsTextConditioned ? GuidedDenoiser(request, guidance, batch) : Unconditioned(batch);
        var shapes = Model.Resolutions.Select(r => new long[] { batch, Model.Config.InputChannels, r, r }).ToArray();
        if (request.Seeds is { } seeds && seeds.Count != batch)
            throw new MatryoshkaException($"Seeds has {seeds.Count} entries but BatchSize is {batch}.");
        INoiseSource noise = request.Noise
            ?? (request.Seeds is { } perSample ? new PerSampleNoiseSource(perSample) : new GeneratorNoiseSource(seed!.Value));
        _logger.LogDebug("Generating {Batch} image(s) at {Resolutions} with {Sampler}, {Steps} steps, seed {Seed}",
            batch, string.Join("→", Model.Resolutions), Sampler.Name, steps, seed);
        var clock = Stopwatch.StartNew();
        var final = JointSampling.Run(denoiser, Sampler, plan, shapes, DType, Device, noise, step =>
        {
            PipelineMetrics.Steps.Add(1, _metricsTag);
            progress?.Report(new GenerationProgress(step.Index + 1, step.StepCount, clock.Elapsed));
            if (preview is not null)
                preview(new GenerationPreview(step.Index + 1, step.StepCount,
                    step.Sample.Select(x => x.to(ScalarType.Float32, CPU).DetachFromDisposeScope()).ToArray(), Model.Levels[0].FrameGrid));
        }, cancellationToken);
        var levels = final.Select(x => x.to(ScalarType.Float32, CPU).DetachFromDisposeScope()).ToArray();
        PipelineMetrics.GenerationSeconds.Record(clock.Elapsed.TotalSeconds, _metricsTag);
        _logger.LogInformation("Generated {Batch} image(s) in {Elapsed:F2} s ({StepsPerSecond:F2} steps/s), seed {Seed}",
            batch, clock.Elapsed.TotalSeconds, steps / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), seed);
        return new GenerationResult(levels, seed, steps, clock.Elapsed, Pixels, Model.Levels[0].FrameGrid);
    }

    private IGuidance GuidanceFor(GenerationRequest request)
    {
        if (request.GuidanceScale is not double scale) return _guidance;
        if (_guidance is not ClassifierFreeGuider cfg)
            throw new MatryoshkaException("GuidanceScale applies to classifier-free guidance; this pipeline uses another guidance method.");
        try
        {
            return new ClassifierFreeGuider(cfg.Options with { Scale = scale });
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new MatryoshkaException($"GuidanceScale: {e.Message}", e);
        }
    }

    private Denoiser GuidedDenoiser(GenerationRequest request, IGuidance guidance, int batch)
    {
        var conditional = Batched(request.Conditioning ?? (request.Prompts is { } prompts ? Encode(prompts, "Prompts") : Encode(request.Prompt, "Prompt")), batch, "Conditioning");
        TextConditioning? unconditional = null;
        if (guidance.NeedsUnconditional)
            unconditional = Batched(request.NegativeConditioning ?? Encode(request.NegativePrompt, "NegativePrompt"), batch, "NegativeConditioning");
        return guidance.Guide(_model, conditional, unconditional, Schedule.TrainSteps);
    }

    private Denoiser Unconditioned(int batch)
    {
        var conditioning = _model.PrepareConditioning(batch);
        return (noisy, t) => _model.Forward(noisy, t, conditioning);
    }

    private long[] CheckedTimesteps(int steps)
    {
        try
        {
            return SamplingTimesteps.Create(Schedule.TrainSteps, steps, _spacing);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new MatryoshkaException($"Steps: {e.Message}", e);
        }
    }

    private TextConditioning Encode(string? prompt, string field)
    {
        if (prompt is null) throw new MatryoshkaException($"{field} is required when no precomputed conditioning is given.");
        return Encode(new[] { prompt }, field);
    }

    private TextConditioning Encode(IReadOnlyList<string> prompts, string field)
    {
        if (_textEncoder is null) throw new MatryoshkaException($"{field} needs a text encoder: build the pipeline WithTextEncoder or FromPretrained, or pass precomputed conditioning.");
        if (prompts.Any(p => p is null)) throw new MatryoshkaException($"{field} contains a null prompt.");
        return _textEncoder.Encode(prompts, Device);
    }

    private TextConditioning Batched(TextConditioning text, int batch, string field)
    {
        long rows = text.Embeddings.shape[0];
        if (text.Embeddings.dim() != 3 || text.Embeddings.shape[2] != Model.Config.TextEmbeddingDim || text.Mask.dim() != 2 || text.Mask.shape[0] != rows || text.Mask.shape[1] != text.Embeddings.shape[1])
            throw new MatryoshkaException($"{field}: embeddings [{string.Join(", ", text.Embeddings.shape)}] and mask [{string.Join(", ", text.Mask.shape)}] must be [B, T, {Model.Config.TextEmbeddingDim}] and [B, T].");
        var embeddings = text.Embeddings.to(DType, Device);
        var mask = text.Mask.to(Device);
        if (rows == batch) return new TextConditioning(embeddings, mask);
        if (rows != 1) throw new MatryoshkaException($"{field} has {rows} rows; give 1 (shared) or BatchSize = {batch}.");
        return new TextConditioning(embeddings.expand(batch, -1, -1), mask.expand(batch, -1));
    }

    /// <summary>
    /// Releases the model and the text encoder the pipeline owns. Generations in progress are cancelled (they end with
    /// <see cref="OperationCanceledException"/> at their next step) and waited for; later calls throw
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose() => _lifetime.Dispose();

    private void ReleaseResources()
    {
        _ownedEncoder?.Dispose();
        if (_ownsModel) _model.Dispose();
    }
}
