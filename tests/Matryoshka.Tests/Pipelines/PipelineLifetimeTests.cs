using Matryoshka.Pipelines;
using Matryoshka.Tests.Support;
using Xunit;

namespace Matryoshka.Tests.Pipelines;

public class PipelineLifetimeTests
{
    [Fact]
    public async Task A_disposed_pipeline_throws_ObjectDisposedException()
    {
        using var folder = new ManifestFolder();
        var pipeline = MatryoshkaPipeline.FromPretrained(folder.Path);
        pipeline.Dispose();
        pipeline.Dispose(); // twice is fine

        Assert.Throws<ObjectDisposedException>(() => pipeline.Generate(new GenerationRequest("ab")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pipeline.GenerateAsync(new GenerationRequest("ab")));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var preview in pipeline.StreamAsync(new GenerationRequest("ab"))) preview.Dispose();
        });
    }

    [Fact]
    public async Task Dispose_during_a_generation_cancels_it_and_returns_once_it_has_stopped()
    {
        using var folder = new ManifestFolder();
        var pipeline = MatryoshkaPipeline.FromPretrained(folder.Path, b => b.WithSteps(500));
        using var started = new SemaphoreSlim(0);
        int stepsSeen = 0;
        var generation = pipeline.GenerateAsync(new GenerationRequest("ab") { Seed = 1 }, new SynchronousProgress(_ =>
        {
            Interlocked.Increment(ref stepsSeen);
            started.Release();
        }));
        await started.WaitAsync(TimeSpan.FromSeconds(60));

        pipeline.Dispose();

        // Dispose waited for the generation: it has already ended, cancelled, long before its 500 steps.
        Assert.True(generation.IsCompleted, "Dispose returned while the generation was still running");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generation);
        Assert.InRange(Volatile.Read(ref stepsSeen), 1, 499);
    }

    [Fact]
    public async Task Dispose_from_inside_a_generation_does_not_deadlock_and_releases_after_it()
    {
        using var folder = new ManifestFolder();
        var pipeline = MatryoshkaPipeline.FromPretrained(folder.Path, b => b.WithSteps(50));
        var run = Task.Run(() => pipeline.Generate(new GenerationRequest("ab") { Seed = 1 }, new SynchronousProgress(_ => pipeline.Dispose())));

        var ended = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(run, ended);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Throws<ObjectDisposedException>(() => pipeline.Generate(new GenerationRequest("ab")));
    }
}
