using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Matryoshka.AspNetCore;

/// <summary>
/// <c>GET /v1/images/stream</c>: Server-Sent Events (<see cref="StreamEvents"/>) — the queue position while waiting, a
/// preview of every nested level after each step, then the final image. Refusals (400, 429) come as plain problem
/// details before the stream starts; a client that closes the stream stops the sampler at its next step.
/// </summary>
internal static class StreamEndpoint
{
    public const string Name = "stream";

    public static IResult Handle(HttpContext http, [AsParameters] StreamQuery query, MatryoshkaServing serving)
    {
        var arrived = TimeProvider.System.GetTimestamp();
        var errors = new Dictionary<string, string[]>();
        var request = ImageRequestValidation.FromQuery(query, http.Request.Query, errors);
        foreach (var (field, messages) in ImageRequestValidation.Validate(request, serving.Options, streaming: true)) errors.TryAdd(field, messages);
        if (errors.Count > 0)
        {
            serving.Metrics.Record(Name, "invalid", TimeProvider.System.GetElapsedTime(arrived));
            return TypedResults.ValidationProblem(errors, title: "The image request is invalid");
        }
        if (!serving.Queue.TryEnter(out var ticket))
        {
            serving.Logger.LogWarning("Stream {RequestId} turned away: queue full", http.TraceIdentifier);
            serving.Metrics.Record(Name, "rejected", TimeProvider.System.GetElapsedTime(arrived));
            return ServingProblems.QueueFull(http, serving.Queue);
        }
        var session = new GenerationSession(http, ticket, serving.Options.RequestTimeout);
        // Freed at the end of the request even if the stream is never enumerated.
        http.Response.RegisterForDispose(session);
        return TypedResults.ServerSentEvents(EventsAsync(serving, request, session));
    }

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(MatryoshkaServing serving, ImageRequest request, GenerationSession session,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var stopOnAbort = cancellationToken.Register(static s => ((GenerationSession)s!).Cancel(), session);
        var token = session.Token;
        string outcome = "failed";
        var previews = new PreviewChannel(token);
        Task<GenerationResult>? generation = null;
        try
        {
            // Waiting: report each new position until a slot is ours.
            int reported = -1;
            while (true)
            {
                var (position, changed) = session.Ticket.Observe();
                if (position == 0) break;
                if (position != reported) yield return Event(StreamEvents.Queued, new QueuedEvent(reported = position));
                if (!await Quietly(changed.WaitAsync(token)).ConfigureAwait(false)) break;
            }
            if (token.IsCancellationRequested)
            {
                outcome = session.CancelledOutcome;
                if (!session.ClientLeft) yield return Event(StreamEvents.Error, ServingProblems.TimeoutEvent(session.Deadline));
                yield break;
            }

            var pipeline = serving.Pipeline;
            var pipelineRequest = MatryoshkaServing.ToGenerationRequest(request, request.Seed ?? session.Seed);
            int steps = request.Steps ?? pipeline.DefaultSteps;
            yield return Event(StreamEvents.Started, new StartedEvent(pipelineRequest.Seed!.Value, steps, pipeline.Model.Resolutions));
            generation = serving.GenerateWithPreviewsAsync(pipelineRequest, previews, token);
            _ = generation.ContinueWith(static (_, p) => ((PreviewChannel)p!).Complete(), previews, TaskScheduler.Default);

            while (await Quietly(previews.Reader.WaitToReadAsync(token).AsTask()).ConfigureAwait(false))
            {
                while (previews.Reader.TryRead(out var preview))
                {
                    using (preview) yield return Event(StreamEvents.Preview, ToEvent(preview, pipeline));
                }
            }

            var (result, failure) = await Outcome(generation).ConfigureAwait(false);
            using (result)
            {
                if (result is not null)
                {
                    outcome = "ok";
                    using var image = result.Images[0];
                    serving.Logger.LogInformation("Stream {RequestId}: {Steps} steps, seed {Seed}, in {Seconds:F2} s", session.RequestId, result.Steps, result.Seed, session.Elapsed.TotalSeconds);
                    yield return Event(StreamEvents.Done, new DoneEvent(result.Seed ?? 0, result.Steps, result.Elapsed.TotalSeconds,
                        Convert.ToBase64String(PngFiles.ToPngBytes(image, result.Pixels))));
                }
                else if (failure is OperationCanceledException && token.IsCancellationRequested)
                {
                    outcome = session.CancelledOutcome;
                    serving.Logger.LogInformation("Stream {RequestId} stopped after {Seconds:F2} s: {Outcome}", session.RequestId, session.Elapsed.TotalSeconds, outcome);
                    if (!session.ClientLeft) yield return Event(StreamEvents.Error, ServingProblems.TimeoutEvent(session.Deadline));
                }
                else if (failure is MatryoshkaException refused)
                {
                    outcome = "invalid";
                    yield return Event(StreamEvents.Error, new ErrorEvent(StatusCodes.Status400BadRequest, "The model refused the request", refused.Message));
                }
                else
                {
                    serving.Logger.LogError(failure, "Stream {RequestId} failed", session.RequestId);
                    yield return Event(StreamEvents.Error, new ErrorEvent(StatusCodes.Status500InternalServerError, "The generation failed", "See the server's log."));
                }
            }
        }
        finally
        {
            // The slot is freed only once the sampler has really stopped.
            session.Cancel();
            if (generation is not null)
            {
                await Quietly(generation).ConfigureAwait(false);
                if (generation.IsCompletedSuccessfully && outcome != "ok") generation.Result.Dispose();
            }
            previews.DisposeUnread();
            serving.Metrics.Record(Name, outcome, session.Elapsed);
            session.Dispose();
        }
    }

    private static PreviewEvent ToEvent(GenerationPreview preview, MatryoshkaPipeline pipeline) =>
        new(preview.Step, preview.Total, preview.Estimates.Select((level, i) =>
        {
            using var first = level[0];
            return new LevelImage(pipeline.Model.Resolutions[i], Convert.ToBase64String(PngFiles.ToPngBytes(first, pipeline.Pixels)));
        }).ToArray());

    // Relaxed escaping: base64's '+' stays one byte instead of six (the stream is JSON for scripts, never inline HTML).
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerOptions.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static SseItem<string> Event<T>(string type, T data) => new(JsonSerializer.Serialize(data, EventJson), type);

    /// <summary>Awaits without throwing: true when the task ran to completion.</summary>
    private static async Task<bool> Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static async Task<bool> Quietly(Task<bool> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static async Task<(GenerationResult? Result, Exception? Failure)> Outcome(Task<GenerationResult> generation)
    {
        try
        {
            return (await generation.ConfigureAwait(false), null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }
}
