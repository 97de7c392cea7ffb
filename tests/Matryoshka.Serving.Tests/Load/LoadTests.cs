using Matryoshka.Serving.Load;
using Matryoshka.Serving.Tests.AspNetCore;

namespace Matryoshka.Serving.Tests.Load;

/// <summary>
/// The load benchmark's client on a CI scale (benchmarks/Matryoshka.Serving.Load runs the full one): more clients than
/// slot plus waiting line, so some requests are turned away. Not timed: it checks that every request ends properly.
/// </summary>
public sealed class LoadTests : IAsyncLifetime
{
    private readonly DemoFactory _factory = new();
    private readonly List<Exception> _unobserved = [];

    public Task InitializeAsync()
    {
        TaskScheduler.UnobservedTaskException += Record;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        TaskScheduler.UnobservedTaskException -= Record;
        await _factory.DisposeAsync();
    }

    private void Record(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        lock (_unobserved) _unobserved.Add(e.Exception);
    }

    [Fact]
    public async Task Twenty_requests_from_five_clients_all_end_in_200_or_429_none_lost_and_nothing_unobserved()
    {
        var address = _factory.Kestrel();
        var result = await LoadClient.RunAsync(new LoadOptions(address, Requests: 20, Clients: 5, Steps: 2));

        Assert.Empty(result.Failures);
        Assert.Equal(20, result.Total);
        Assert.All(result.Statuses.Keys, status => Assert.True(status is 200 or 429, $"status {status}"));
        Assert.True(result.Ok >= 2, $"only {result.Ok} of 20 succeeded");
        Assert.Equal(result.Ok, result.OkLatencies.Count);
        // Every slot and place was given back.
        Assert.Equal(0, _factory.Queue.Running + _factory.Queue.Waiting);
        // Faulted tasks nobody awaited surface when they are collected.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        lock (_unobserved) Assert.Empty(_unobserved);
    }
}
