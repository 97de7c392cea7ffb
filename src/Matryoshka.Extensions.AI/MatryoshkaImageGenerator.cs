using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;
using Microsoft.Extensions.AI;

namespace Matryoshka.Extensions.AI;

/// <summary>
/// A Matryoshka pipeline as a Microsoft.Extensions.AI <see cref="IImageGenerator"/>: the request's prompt, and from
/// <see cref="ImageGenerationOptions"/> the count, size (only the model's own), seed, steps, guidance scale and negative
/// prompt (<see cref="MatryoshkaImageProperties"/>); one PNG <see cref="DataContent"/> per image, each carrying its
/// <c>seed</c> and <c>index</c> in <c>AdditionalProperties</c>. Safe for concurrent use. The pipeline is not owned:
/// disposing the generator leaves it alone.
/// </summary>
/// <remarks><see cref="IImageGenerator"/> is experimental in Microsoft.Extensions.AI (diagnostic MEAI001).</remarks>
public sealed class MatryoshkaImageGenerator : IImageGenerator
{
    private readonly MatryoshkaImageGeneratorOptions _options;

    /// <summary>Creates a generator over <paramref name="pipeline"/>.</summary>
    /// <exception cref="MatryoshkaException"><paramref name="options"/> has a limit out of range.</exception>
    public MatryoshkaImageGenerator(MatryoshkaPipeline pipeline, MatryoshkaImageGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _options = options ?? new MatryoshkaImageGeneratorOptions();
        _options.Validate();
        Pipeline = pipeline;
        Metadata = new ImageGeneratorMetadata("matryoshka", providerUri: null, defaultModelId: pipeline.Name);
    }

    /// <summary>The pipeline that draws the images.</summary>
    public MatryoshkaPipeline Pipeline { get; }

    /// <summary>Provider <c>matryoshka</c>, the model's name as the default model id.</summary>
    public ImageGeneratorMetadata Metadata { get; }

    /// <summary>Generates the images on a dedicated thread.</summary>
    /// <exception cref="UnsupportedImageRequestException">The request asks for something the model cannot do.</exception>
    /// <exception cref="MatryoshkaException">The pipeline refuses the request (e.g. steps out of range).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the sampler stops at its next step.</exception>
    public async Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var generation = ImageRequestMapping.ToGenerationRequest(request, options, Pipeline, _options);
        using var result = await Pipeline.GenerateAsync(generation, progress: null, cancellationToken).ConfigureAwait(false);
        var contents = new List<AIContent>(generation.BatchSize);
        for (int i = 0; i < generation.BatchSize; i++)
        {
            using var image = result.Images[i];
            contents.Add(new DataContent(PngFiles.ToPngBytes(image, result.Pixels), ImageRequestMapping.PngMediaType)
            {
                Name = $"matryoshka-{result.Seed}-{i}.png",
                AdditionalProperties = new() { ["seed"] = result.Seed, ["index"] = i, ["steps"] = result.Steps },
            });
        }
        return new ImageGenerationResponse(contents);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ImageGeneratorMetadata)) return Metadata;
        if (serviceType == typeof(MatryoshkaPipeline)) return Pipeline;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Nothing to release: the pipeline belongs to whoever created it.</summary>
    public void Dispose() { }
}
