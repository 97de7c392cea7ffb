using Matryoshka.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matryoshka.AspNetCore;

/// <summary>
/// What the endpoints share: the limits, the queue, the generation threads, the pipeline (resolved once, on first use)
/// and telemetry.
/// </summary>
internal sealed class MatryoshkaServing(IServiceProvider services, IOptions<MatryoshkaServingOptions> options, GenerationQueue queue,
    GenerationThreads threads, ServingMetrics metrics, ILogger<MatryoshkaServing> logger)
{
    private readonly Lazy<MatryoshkaPipeline> _pipeline = new(() =>
        services.GetRequiredKeyedService<MatryoshkaPipeline>(options.Value.PipelineName));

    public MatryoshkaServingOptions Options => options.Value;

    public GenerationQueue Queue => queue;

    public ServingMetrics Metrics => metrics;

    public ILogger Logger => logger;

    /// <summary>The served pipeline; the first call loads the model.</summary>
    public MatryoshkaPipeline Pipeline => _pipeline.Value;

    /// <summary>Generates on a generation thread (call it holding a slot).</summary>
    public Task<GenerationResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var pipeline = Pipeline;
        return threads.Run(() => pipeline.Generate(request, progress: null, cancellationToken), cancellationToken);
    }

    /// <summary>Generates on a generation thread, reporting a preview after each step (call it holding a slot).</summary>
    public Task<GenerationResult> GenerateWithPreviewsAsync(GenerationRequest request, IProgress<GenerationPreview> previews, CancellationToken cancellationToken)
    {
        var pipeline = Pipeline;
        return threads.Run(() => pipeline.GenerateWithPreviews(request, previews, cancellationToken), cancellationToken);
    }

    /// <summary>The pipeline request for a validated client request, with the seed fixed up front so it can be reported.</summary>
    public static GenerationRequest ToGenerationRequest(ImageRequest request, ulong seed) => new(request.Prompt)
    {
        NegativePrompt = request.NegativePrompt ?? "",
        BatchSize = request.Count ?? 1,
        Seed = seed,
        Steps = request.Steps,
        GuidanceScale = request.GuidanceScale,
    };
}
