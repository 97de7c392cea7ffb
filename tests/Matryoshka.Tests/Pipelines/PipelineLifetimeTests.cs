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

        // Dispose waited until the generation stopped using the model (its lease ended, in the generation's finally);
        // the task itself completes a moment later, once the cancellation has unwound out of the method, so it is
        // awaited with a short bound rather than checked at once (checking at once raced with that unwinding).
        var ended = await Task.WhenAny(generation, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(ReferenceEquals(ended, generation), "the generation was still running 10 s after Dispose returned");
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
