using System.Threading.Channels;
using Matryoshka.Pipelines;

namespace Matryoshka.AspNetCore;

/// <summary>
/// Hands previews from the generation thread to the response. Bounded: a slow client slows its own generation (the
/// next step waits) instead of making the server buffer previews; cancellation ends the wait and the generation.
/// </summary>
internal sealed class PreviewChannel(CancellationToken cancellationToken) : IProgress<GenerationPreview>
{
    private readonly Channel<GenerationPreview> _channel = Channel.CreateBounded<GenerationPreview>(
        new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<GenerationPreview> Reader => _channel.Reader;

    /// <summary>Runs on the generation thread: blocking here is the back-pressure.</summary>
    public void Report(GenerationPreview value)
    {
        try
        {
            _channel.Writer.WriteAsync(value, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Frees previews nobody will read.</summary>
    public void DisposeUnread()
    {
        while (_channel.Reader.TryRead(out var left)) left.Dispose();
    }
}
