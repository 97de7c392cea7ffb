using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Matryoshka.AspNetCore;

/// <summary>The problem-details answers the endpoints share.</summary>
internal static class ServingProblems
{
    public static IResult QueueFull(HttpContext http, GenerationQueue queue)
    {
        var retryAfter = queue.RetryAfter;
        http.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "The generation queue is full",
            detail: $"{queue.Running} generation(s) running and {queue.Waiting} waiting; try again in {(int)retryAfter.TotalSeconds} s.");
    }

    public static IResult Timeout(TimeSpan deadline) =>
        TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "The deadline passed",
            detail: $"The request did not finish within {deadline.TotalSeconds:0.#} s (waiting included); the sampler was stopped.");

    public static IResult Refused(MatryoshkaException e) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The model refused the request", detail: e.Message);

    public static ErrorEvent TimeoutEvent(TimeSpan deadline) =>
        new(StatusCodes.Status504GatewayTimeout, "The deadline passed", $"The request did not finish within {deadline.TotalSeconds:0.#} s; the sampler was stopped.");
}
