namespace Matryoshka.Data.Emoji.Svg;

/// <summary>Size limits <see cref="IconifyPackageReader"/> enforces while it reads an untrusted icon-set package.</summary>
public sealed record IconifyLimits
{
    /// <summary>Most tar entries the archive may hold. Default 10,000 (@iconify-json/noto 1.2.9 has 9).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Most bytes the gzip stream may decompress to, in all. Default 512 MiB (1.2.9 unpacks to ~26 MB).</summary>
    public long MaxUnpackedBytes { get; init; } = 512L << 20;

    /// <summary>Largest accepted <c>icons.json</c>. Default 128 MiB (1.2.9's is 25 MB).</summary>
    public long MaxIconsBytes { get; init; } = 128L << 20;

    /// <summary>Largest accepted <c>chars.json</c>, <c>package.json</c> or <c>info.json</c>. Default 16 MiB (1.2.9's chars.json is 190 KB).</summary>
    public long MaxTextBytes { get; init; } = 16L << 20;

    /// <summary>Largest accepted SVG body of one icon (UTF-16 characters); larger icons are skipped. Default 512 Ki (1.2.9's largest is 173 K).</summary>
    public int MaxIconBodyChars { get; init; } = 512 << 10;

    /// <summary>Largest SVG document made from one icon: its body and the <c>&lt;svg&gt;</c> element around it.</summary>
    internal long MaxDocumentChars => MaxIconBodyChars + 1024L;
}
