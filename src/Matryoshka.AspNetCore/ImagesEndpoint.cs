using Matryoshka.ImageSharp;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Matryoshka.AspNetCore;

/// <summary><c>POST /v1/images</c>: JSON in; one PNG, or JSON with base64 PNGs, out.</summary>
internal static class ImagesEndpoint
{
    public const string Name = "images";

    public static async Task<IResult> HandleAsync(HttpContext http, MatryoshkaServing serving)
    {
        var arrived = TimeProvider.System.GetTimestamp();
        var body = await RequestBodyReader.ReadAsync(http.Request, serving.Options.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (body.Problem is not null || body.Request is null)
        {
            serving.Metrics.Record(Name, "invalid", TimeProvider.System.GetElapsedTime(arrived));
            return body.Problem!;
        }
        var request = body.Request;
        var errors = ImageRequestValidation.Validate(request, serving.Options, streaming: false);
        if (errors.Count > 0)
        {
            serving.Metrics.Record(Name, "invalid", TimeProvider.System.GetElapsedTime(arrived));
            return TypedResults.ValidationProblem(errors, title: "The image request is invalid");
        }
        if (!serving.Queue.TryEnter(out var ticket))
        {
            serving.Logger.LogWarning("Request {RequestId} turned away: queue full ({Running} running, {Waiting} waiting)", http.TraceIdentifier, serving.Queue.Running, serving.Queue.Waiting);
            serving.Metrics.Record(Name, "rejected", TimeProvider.System.GetElapsedTime(arrived));
            return ServingProblems.QueueFull(http, serving.Queue);
        }
        using var session = new GenerationSession(http, ticket, serving.Options.RequestTimeout);
        var (outcome, result) = await GenerateAsync(serving, request, session).ConfigureAwait(false);
        serving.Metrics.Record(Name, outcome, session.Elapsed);
        return result;
    }

    private static async Task<(string Outcome, IResult Result)> GenerateAsync(MatryoshkaServing serving, ImageRequest request, GenerationSession session)
    {
        var generation = MatryoshkaServing.ToGenerationRequest(request, request.Seed ?? session.Seed);
        try
        {
            await session.Ticket.WaitForSlotAsync(session.Token).ConfigureAwait(false);
            using var result = await serving.GenerateAsync(generation, session.Token).ConfigureAwait(false);
            serving.Logger.LogInformation("Request {RequestId}: {Count} image(s), {Steps} steps, seed {Seed}, in {Seconds:F2} s (sampler {Sampling:F2} s)",
                session.RequestId, generation.BatchSize, result.Steps, result.Seed, session.Elapsed.TotalSeconds, result.Elapsed.TotalSeconds);
            var images = Enumerable.Range(0, generation.BatchSize).Select(i =>
            {
                using var image = result.Images[i];
                return PngFiles.ToPngBytes(image, result.Pixels);
            }).ToArray();
            bool png = request.ResponseFormat == "png" || (request.ResponseFormat is null && images.Length == 1);
            return ("ok", png
                ? TypedResults.File(images[0], "image/png", $"matryoshka-{result.Seed}.png")
                : TypedResults.Ok(new ImagesResponse(serving.Pipeline.Name, result.Seed ?? 0, result.Steps, result.Elapsed.TotalSeconds,
                    images.Select(Convert.ToBase64String).ToArray())));
        }
        catch (OperationCanceledException) when (session.Token.IsCancellationRequested)
        {
            serving.Logger.LogInformation("Request {RequestId} stopped after {Seconds:F2} s: {Outcome}", session.RequestId, session.Elapsed.TotalSeconds, session.CancelledOutcome);
            // A client that left reads nothing; the status only shows in the server's own logs.
            return (session.CancelledOutcome, session.ClientLeft ? TypedResults.StatusCode(499) : ServingProblems.Timeout(session.Deadline));
        }
        catch (MatryoshkaException e)
        {
            return ("invalid", ServingProblems.Refused(e));
        }
    }
}
