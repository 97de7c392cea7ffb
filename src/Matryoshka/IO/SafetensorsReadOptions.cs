namespace Matryoshka.IO;

/// <summary>Limits applied when reading safetensors files.</summary>
public sealed record SafetensorsReadOptions
{
    /// <summary>
    /// The format's own limit on the JSON header: 100,000,000 bytes, as enforced by the reference
    /// (Rust) implementation.
    /// </summary>
    public const long DefaultMaxHeaderBytes = 100_000_000;

    /// <summary>The options used when none are given.</summary>
    public static SafetensorsReadOptions Default { get; } = new();

    /// <summary>
    /// The largest JSON header accepted, in bytes. A file claiming a larger header is refused
    /// before anything is allocated for it. Must be between 1 and <see cref="Array.MaxLength"/>.
    /// </summary>
    public long MaxHeaderBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Array.MaxLength);
            field = value;
        }
    } = DefaultMaxHeaderBytes;
}
