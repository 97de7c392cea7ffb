namespace Matryoshka.AspNetCore;

/// <summary>
/// What a client asks for: the JSON body of <c>POST /v1/images</c>, or the query of <c>GET /v1/images/stream</c>
/// (one image, no <see cref="Count"/> or <see cref="ResponseFormat"/>). Unset values use the model's defaults.
/// </summary>
public sealed record ImageRequest
{
    /// <summary>What to draw (required).</summary>
    public string? Prompt { get; init; }

    /// <summary>What guidance steers away from; default empty.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>Noise seed; unset draws one (returned with the image).</summary>
    public ulong? Seed { get; init; }

    /// <summary>Sampling steps; unset uses the model's default.</summary>
    public int? Steps { get; init; }

    /// <summary>Classifier-free guidance scale; unset uses the model's default.</summary>
    public double? GuidanceScale { get; init; }

    /// <summary>Images to draw (POST only); default 1.</summary>
    public int? Count { get; init; }

    /// <summary><c>png</c> (one image, <c>image/png</c>) or <c>json</c> (base64 PNGs); default png for one image, json for several.</summary>
    public string? ResponseFormat { get; init; }
}
