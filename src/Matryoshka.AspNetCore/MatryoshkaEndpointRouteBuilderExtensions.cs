using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Matryoshka.AspNetCore;

/// <summary>Maps the image endpoints (after <see cref="MatryoshkaServingServiceCollectionExtensions.AddMatryoshkaServing"/>).</summary>
public static class MatryoshkaEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /v1/images</c>, <c>GET /v1/images/stream</c> (Server-Sent Events) and <c>GET /healthz</c>, with
    /// OpenAPI descriptions. Returns the <c>/v1/images</c> group, to add authorization or rate limiting to it.
    /// </summary>
    public static RouteGroupBuilder MapMatryoshka(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthEndpoint.WriteAsync })
            .WithDisplayName("Matryoshka health");

        var images = endpoints.MapGroup("/v1/images").WithTags("Images");
        images.AddEndpointFilter(async (context, next) =>
        {
            var id = RequestIds.Assign(context.HttpContext);
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<MatryoshkaServing>>();
            using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = id }))
                return await next(context).ConfigureAwait(false);
        });

        images.MapPost("", ImagesEndpoint.HandleAsync)
            .WithName("CreateImages")
            .WithSummary("Draw images from a prompt")
            .WithDescription("One image answers image/png (seed in the file name); responseFormat 'json' or count > 1 answers base64 PNGs in JSON. 429 with Retry-After when the queue is full, 504 past the deadline.")
            .Accepts<ImageRequest>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Produces<ImagesResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        images.MapGet("/stream", StreamEndpoint.Handle)
            .WithName("StreamImage")
            .WithSummary("Draw one image and watch every nested level form")
            .WithDescription("prompt (required), negativePrompt, seed (a whole number ≥ 0), steps, guidanceScale: as for POST. Server-Sent Events: queued (position), started, preview (a PNG of every level per step), then done (the final PNG) or error.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return images;
    }
}
