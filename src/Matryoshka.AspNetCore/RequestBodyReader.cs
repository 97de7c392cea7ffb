using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Matryoshka.AspNetCore;

/// <summary>
/// Reads a JSON request body of at most a fixed size, whatever the server or Content-Length says: nothing a client sends
/// makes the server buffer more than the limit.
/// </summary>
internal static class RequestBodyReader
{
    public sealed record Outcome(ImageRequest? Request, IResult? Problem);

    public static async Task<Outcome> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return new(null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send JSON",
                detail: "The body must be application/json."));
        if (request.ContentLength > maxBytes) return new(null, TooLarge(maxBytes));
        // One read past the limit tells "too large" from "exactly the limit".
        var buffer = new byte[maxBytes + 1];
        int total = 0, read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            total += read;
        if (total > maxBytes) return new(null, TooLarge(maxBytes));
        try
        {
            var parsed = JsonSerializer.Deserialize<ImageRequest>(buffer.AsSpan(0, total), JsonSerializerOptions.Web);
            return parsed is null
                ? new(null, Invalid("The body must be a JSON object."))
                : new(parsed, null);
        }
        catch (JsonException e)
        {
            return new(null, Invalid(e.Message));
        }
    }

    private static IResult TooLarge(int maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large", detail: $"At most {maxBytes} bytes.");

    private static IResult Invalid(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [message] }, title: "The body is not a valid image request");
}
