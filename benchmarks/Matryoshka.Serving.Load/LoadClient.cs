using System.Diagnostics;
using System.Net.Http.Json;

namespace Matryoshka.Serving.Load;

/// <summary>What to fire: <see cref="Requests"/> POST /v1/images from <see cref="Clients"/> concurrent clients, no retries.</summary>
public sealed record LoadOptions(Uri BaseAddress, int Requests = 100, int Clients = 10, int Steps = 20, string Prompt = "a red apple");

/// <summary>How the requests ended: status counts (0: no answer, an exception), latencies of the 200s, wall time.</summary>
public sealed record LoadResult(IReadOnlyDictionary<int, int> Statuses, IReadOnlyList<string> Failures, IReadOnlyList<TimeSpan> OkLatencies, TimeSpan Elapsed)
{
    /// <summary>Requests that got any answer or failure: equals the requests fired when none was lost.</summary>
    public int Total => Statuses.Values.Sum();

    public int Ok => Statuses.GetValueOrDefault(200);

    public TimeSpan Percentile(double p)
    {
        if (OkLatencies.Count == 0) return TimeSpan.Zero;
        var sorted = OkLatencies.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public double ImagesPerSecond => Ok / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>A bounded load client: a fixed number of requests from a fixed number of clients, each waiting for its answer.</summary>
public static class LoadClient
{
    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = options.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        var latencies = new List<TimeSpan>();
        int next = -1;
        var clock = Stopwatch.StartNew();

        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.Requests)
            {
                var start = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await http.PostAsJsonAsync("v1/images", new { prompt = options.Prompt, seed = i, steps = options.Steps }, cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                    lock (failures) failures.Add($"request {i}: {e.GetType().Name}: {e.Message}");
                }
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status == 200) latencies.Add(Stopwatch.GetElapsedTime(start));
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(Client, cancellationToken)));
        return new LoadResult(statuses, failures, latencies, clock.Elapsed);
    }
}
