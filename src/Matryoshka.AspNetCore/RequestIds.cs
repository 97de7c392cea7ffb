using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Matryoshka.AspNetCore;

/// <summary>
/// Every image request gets an id, echoed in <c>X-Request-Id</c>, in its logs and in its problem details
/// (<c>traceId</c>): the caller's own <c>X-Request-Id</c> when it is short and plain, otherwise the server's.
/// </summary>
internal static partial class RequestIds
{
    public const string Header = "X-Request-Id";

    public static string Assign(HttpContext http)
    {
        var incoming = http.Request.Headers[Header];
        if (incoming.Count == 1 && incoming[0] is { } id && PlainId().IsMatch(id)) http.TraceIdentifier = id;
        http.Response.Headers[Header] = http.TraceIdentifier;
        return http.TraceIdentifier;
    }

    // Bounded and log-safe: no spaces, no control characters, at most 64 characters.
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex PlainId();
}
