using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Matryoshka.Serving.Tests.AspNetCore;

/// <summary>Reads a server-sent event stream as (type, JSON) pairs.</summary>
internal static class Sse
{
    public static async IAsyncEnumerable<(string Type, JsonElement Data)> ReadAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
            yield return (item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone());
    }
}
