using Matryoshka.AspNetCore;

namespace Matryoshka.Serving.Tests.AspNetCore;

public class GenerationThreadsTests
{
    [Fact]
    public async Task Every_task_runs_on_one_of_the_same_few_threads_which_do_not_show_as_the_current_scheduler()
    {
        using var threads = new GenerationThreads(2);
        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => threads.Run(
            () => (Thread: Thread.CurrentThread, Default: TaskScheduler.Current == TaskScheduler.Default), CancellationToken.None)));

        var used = runs.Select(r => r.Thread).Distinct().ToArray();
        Assert.InRange(used.Length, 1, 2);
        Assert.All(used, t => Assert.StartsWith("Matryoshka generation ", t.Name));
        Assert.All(runs, r => Assert.True(r.Default));
        Assert.Equal(2, threads.MaximumConcurrencyLevel);
    }

    [Fact]
    public async Task A_task_cancelled_while_waiting_for_a_thread_ends_cancelled_without_running()
    {
        using var threads = new GenerationThreads(1);
        using var release = new ManualResetEventSlim();
        var busy = threads.Run(() => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        bool ran = false;
        var waiting = threads.Run(() => ran = true, cancel.Token);

        cancel.Cancel();
        release.Set();
        Assert.True(await busy);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.True(waiting.IsCanceled);
        Assert.False(ran);
    }

    [Fact]
    public async Task After_disposal_a_task_still_runs_on_the_thread_pool()
    {
        var threads = new GenerationThreads(1);
        threads.Dispose();
        threads.Dispose();
        var ran = await threads.Run(() => Thread.CurrentThread.IsThreadPoolThread, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(ran);
    }
}
