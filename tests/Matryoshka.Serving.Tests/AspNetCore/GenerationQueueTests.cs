using Matryoshka.AspNetCore;

namespace Matryoshka.Serving.Tests.AspNetCore;

public class GenerationQueueTests
{
    [Fact]
    public async Task Slots_go_first_come_first_served_and_positions_move_up()
    {
        var queue = new GenerationQueue(maxConcurrent: 1, maxWaiting: 2, initialEstimate: TimeSpan.FromSeconds(4));
        Assert.True(queue.TryEnter(out var first));
        Assert.True(queue.TryEnter(out var second));
        Assert.True(queue.TryEnter(out var third));
        Assert.False(queue.TryEnter(out _));
        Assert.Equal((0, 1, 2), (first.Position, second.Position, third.Position));
        Assert.Equal((1, 2), (queue.Running, queue.Waiting));
        // Three generations ahead of a newcomer, one slot, 4 s each.
        Assert.Equal(TimeSpan.FromSeconds(12), queue.RetryAfter);

        var (_, secondMoved) = second.Observe();
        var secondSlot = second.WaitForSlotAsync(CancellationToken.None);
        Assert.False(secondSlot.IsCompleted);
        first.Dispose();
        await secondSlot.WaitAsync(TimeSpan.FromSeconds(5));
        await secondMoved.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((0, 1), (second.Position, third.Position));
        Assert.Equal((1, 1), (queue.Running, queue.Waiting));

        first.Dispose();   // twice: nothing more happens
        Assert.Equal((1, 1), (queue.Running, queue.Waiting));
        second.Dispose();
        third.Dispose();
        Assert.Equal((0, 0), (queue.Running, queue.Waiting));
    }

    [Fact]
    public void A_waiting_ticket_that_leaves_gives_up_its_place_and_not_a_slot()
    {
        var queue = new GenerationQueue(maxConcurrent: 1, maxWaiting: 2, initialEstimate: TimeSpan.FromSeconds(1));
        Assert.True(queue.TryEnter(out var running));
        Assert.True(queue.TryEnter(out var leaving));
        Assert.True(queue.TryEnter(out var staying));
        leaving.Dispose();
        Assert.Equal(1, staying.Position);
        Assert.Equal((1, 1), (queue.Running, queue.Waiting));
        running.Dispose();
        Assert.Equal(0, staying.Position);
        staying.Dispose();
        Assert.Equal((0, 0), (queue.Running, queue.Waiting));
    }

    [Fact]
    public async Task Tickets_entering_and_leaving_from_many_threads_never_leak_a_slot()
    {
        var queue = new GenerationQueue(maxConcurrent: 2, maxWaiting: 8, initialEstimate: TimeSpan.FromSeconds(1));
        int served = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                if (!queue.TryEnter(out var ticket)) continue;
                using (ticket)
                {
                    // Half of them give up while waiting, as disconnecting clients do.
                    using var giveUp = new CancellationTokenSource(i % 2 == 0 ? 1 : 1000);
                    try
                    {
                        await ticket.WaitForSlotAsync(giveUp.Token);
                        Assert.True(queue.Running <= 2);
                        Interlocked.Increment(ref served);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }
        })));
        Assert.True(served > 0);
        Assert.Equal((0, 0), (queue.Running, queue.Waiting));
    }

    [Fact]
    public void Options_report_every_problem()
    {
        var problems = new MatryoshkaServingOptions { MaxConcurrentGenerations = 0, MaxSteps = 5000, RequestTimeout = TimeSpan.Zero, MaxRequestBodyBytes = 10 }.Problems();
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("MaxConcurrentGenerations", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MaxSteps", StringComparison.Ordinal));
        Assert.Empty(new MatryoshkaServingOptions().Problems());
        Assert.True(new MatryoshkaServingOptions().MaxConcurrentGenerations >= 1);
    }
}
