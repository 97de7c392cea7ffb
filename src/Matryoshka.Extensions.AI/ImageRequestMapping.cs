using Matryoshka.Pipelines;
using Microsoft.Extensions.AI;

namespace Matryoshka.Extensions.AI;

/// <summary>
/// Turns an MEAI request and its options into a <see cref="GenerationRequest"/>, refusing what the model cannot do
/// rather than silently doing something else (MEAI allows "the closest size"; a 64² model asked for 1024² should say so).
/// </summary>
internal static class ImageRequestMapping
{
    public const string PngMediaType = "image/png";

    public static GenerationRequest ToGenerationRequest(ImageGenerationRequest request, ImageGenerationOptions? options,
        MatryoshkaPipeline pipeline, MatryoshkaImageGeneratorOptions limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Prompt))
            throw new UnsupportedImageRequestException("Prompt", "a prompt is required.");
        if (request.OriginalImages?.Any() == true)
            throw new UnsupportedImageRequestException("OriginalImages", "this generator draws from text only; image editing is not supported.");
        int count = options?.Count ?? 1;
        if (count < 1 || count > limits.MaxCount)
            throw new UnsupportedImageRequestException("Count", $"must be in [1, {limits.MaxCount}]; got {count}.");
        if (options?.ImageSize is { } size)
        {
            int side = pipeline.Model.Resolutions[0];
            if (size.Width != side || size.Height != side)
                throw new UnsupportedImageRequestException("ImageSize",
                    $"this model draws {side}×{side} images only; {size.Width}×{size.Height} was asked for. Leave ImageSize unset or ask for {side}×{side}.");
        }
        if (options?.MediaType is { } mediaType && !string.Equals(mediaType, PngMediaType, StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedImageRequestException("MediaType", $"only {PngMediaType} is produced; got '{mediaType}'.");
        if (options?.ResponseFormat is { } format && format != ImageGenerationResponseFormat.Data)
            throw new UnsupportedImageRequestException("ResponseFormat", $"images are returned as data (DataContent) only; got {format}.");
        if (options?.ModelId is { } modelId && pipeline.Name is { } name && !string.Equals(modelId, name, StringComparison.Ordinal))
            throw new UnsupportedImageRequestException("ModelId", $"this generator serves the model '{name}'; got '{modelId}'.");

        var properties = options?.AdditionalProperties;
        return new GenerationRequest(request.Prompt)
        {
            BatchSize = count,
            Seed = PropertyValues.UInt64(properties, MatryoshkaImageProperties.Seed),
            Steps = PropertyValues.Int32(properties, MatryoshkaImageProperties.Steps),
            GuidanceScale = PropertyValues.Double(properties, MatryoshkaImageProperties.GuidanceScale),
            NegativePrompt = PropertyValues.String(properties, MatryoshkaImageProperties.NegativePrompt) ?? "",
        };
    }
}
