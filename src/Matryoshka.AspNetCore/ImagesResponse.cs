namespace Matryoshka.AspNetCore;

/// <summary>The JSON answer of <c>POST /v1/images</c> with <c>responseFormat: "json"</c>.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Seed">The seed the images were drawn from (one batch).</param>
/// <param name="Steps">Sampling steps taken.</param>
/// <param name="Seconds">Time the sampler took.</param>
/// <param name="Images">The images, as base64 PNG.</param>
public sealed record ImagesResponse(string? Model, ulong Seed, int Steps, double Seconds, IReadOnlyList<string> Images);
