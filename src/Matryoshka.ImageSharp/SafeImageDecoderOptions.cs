namespace Matryoshka.ImageSharp;

/// <summary>Limits that <see cref="SafeImageDecoder"/> enforces before and while decoding.</summary>
public sealed record SafeImageDecoderOptions
{
    /// <summary>Most pixels (width · height) an image may declare; checked from the header before decoding. Default 4096 · 4096.</summary>
    public long MaxPixels { get; init; } = 4096L * 4096;

    /// <summary>Largest accepted file or stream, in bytes. Default 64 MiB.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Cap on any single ImageSharp buffer allocation, in megabytes. Default 256.</summary>
    public int AllocationLimitMegabytes { get; init; } = 256;
}
