using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Matryoshka.Serving.Tests.AspNetCore;

[Collection(DemoCollection.Name)]
public class QueueTests(DemoFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what} (running {factory.Queue.Running}, waiting {factory.Queue.Waiting})");
            await Task.Delay(20);
        }
    }

    /// <summary>A long stream, read until its first preview: from then on it holds the one slot.</summary>
    private async Task<(HttpResponseMessage Response, IAsyncEnumerator<(string Type, JsonElement Data)> Events)> RunningStream(CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync("/v1/images/stream?prompt=a%20cat&steps=100", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var events = Sse.ReadAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken).GetAsyncEnumerator(cancellationToken);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("started", events.Current.Type);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("preview", events.Current.Type);
        return (response, events);
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_a_client_leaving_lets_the_next_request_start()
    {
        using var first = new CancellationTokenSource();
        var (running, _) = await RunningStream(first.Token);

        // The second waits in line and is told its position.
        using var waitingResponse = await _client.GetAsync("/v1/images/stream?prompt=a%20dog&steps=2&seed=1", HttpCompletionOption.ResponseHeadersRead);
        var waiting = Sse.ReadAsync(await waitingResponse.Content.ReadAsStreamAsync()).GetAsyncEnumerator();
        Assert.True(await waiting.MoveNextAsync());
        Assert.Equal("queued", waiting.Current.Type);
        Assert.Equal(1, waiting.Current.Data.GetProperty("position").GetInt32());

        // The third finds slot and line full.
        using var third = await _client.PostAsJsonAsync("/v1/images", new { prompt = "a fish", steps = 2 });
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        // The first client goes away: its sampler stops at the next step and the waiting request starts and finishes.
        first.Cancel();
        running.Dispose();
        var types = new List<string>();
        while (await waiting.MoveNextAsync()) types.Add(waiting.Current.Type);
        Assert.Equal(["started", "preview", "preview", "done"], types);
        await Until(() => factory.Queue.Running == 0 && factory.Queue.Waiting == 0, "the queue is empty");
    }

    [Fact]
    public async Task A_post_whose_client_leaves_while_waiting_gives_up_its_place()
    {
        using var first = new CancellationTokenSource();
        var (running, _) = await RunningStream(first.Token);
        using var leave = new CancellationTokenSource();
        var post = _client.PostAsJsonAsync("/v1/images", new { prompt = "a dog", steps = 2 }, leave.Token);
        await Until(() => factory.Queue.Waiting == 1, "the post waits");
        leave.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
        await Until(() => factory.Queue.Waiting == 0, "the post left the line");
        Assert.Equal(1, factory.Queue.Running);

        first.Cancel();
        running.Dispose();
        await Until(() => factory.Queue.Running == 0, "the stream's slot is free");
        using var next = await _client.PostAsJsonAsync("/v1/images", new { prompt = "a dog", steps = 2 });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}

public class DeadlineTests(ShortDeadlineFactory factory) : IClassFixture<ShortDeadlineFactory>
{
    [Fact]
    public async Task Past_the_deadline_the_sampler_stops_and_the_answer_is_504()
    {
        var client = factory.CreateClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/v1/images", new { prompt = "a red apple", steps = 100 });
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The deadline passed", problem.GetProperty("title").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Equal(0, factory.Queue.Running);

        using var stream = await client.GetAsync("/v1/images/stream?prompt=a%20red%20apple&steps=100", HttpCompletionOption.ResponseHeadersRead);
        var last = default((string Type, JsonElement Data));
        await foreach (var e in Sse.ReadAsync(await stream.Content.ReadAsStreamAsync())) last = e;
        Assert.Equal("error", last.Type);
        Assert.Equal(504, last.Data.GetProperty("status").GetInt32());
    }
}
