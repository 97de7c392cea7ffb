namespace Matryoshka.Data.Emoji;

/// <summary>Size limits <see cref="EmojiPackageReader"/> enforces while it reads an untrusted package.</summary>
public sealed record EmojiPackageLimits
{
    /// <summary>Most tar entries the archive may hold. Default 100,000 (emoji-datasource-google 16.0.0 has 3,809).</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Most bytes the gzip stream may decompress to, in all. Default 1 GiB (16.0.0 unpacks to ~78 MB).</summary>
    public long MaxUnpackedBytes { get; init; } = 1L << 30;

    /// <summary>Largest accepted <c>emoji.json</c>. Default 64 MiB (16.0.0's is 1.3 MB).</summary>
    public long MaxCatalogBytes { get; init; } = 64L << 20;

    /// <summary>Largest accepted single image; larger ones are skipped. Default 1 MiB (16.0.0's largest 64 px PNG is 9 KB).</summary>
    public long MaxImageBytes { get; init; } = 1L << 20;

    /// <summary>Largest accepted <c>package.json</c> or <c>LICENSE</c>. Default 1 MiB.</summary>
    public long MaxTextBytes { get; init; } = 1L << 20;
}
