using Microsoft.AspNetCore.Mvc;

namespace Matryoshka.AspNetCore;

/// <summary>
/// The query of <c>GET /v1/images/stream</c>, as the strings the client sent: they are parsed and validated together,
/// so a request with several bad values hears about all of them (and the OpenAPI document lists each parameter; their
/// meaning is in the endpoint's description: <c>[Description]</c> on <c>[AsParameters]</c> members breaks
/// Microsoft.AspNetCore.OpenApi 10.0's document generation).
/// </summary>
internal sealed record StreamQuery(
    [FromQuery(Name = "prompt")] string? Prompt,
    [FromQuery(Name = "negativePrompt")] string? NegativePrompt,
    [FromQuery(Name = "seed")] string? Seed,
    [FromQuery(Name = "steps")] string? Steps,
    [FromQuery(Name = "guidanceScale")] string? GuidanceScale);
