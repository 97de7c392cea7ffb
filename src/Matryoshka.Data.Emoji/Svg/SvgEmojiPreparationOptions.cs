namespace Matryoshka.Data.Emoji.Svg;

/// <summary>What <see cref="SvgEmojiDatasetPreparation"/> reads, how it renders and judges, and where it writes; checked when the run starts.</summary>
public sealed record SvgEmojiPreparationOptions
{
    /// <summary>Smallest accepted <see cref="Resolution"/>.</summary>
    public const int MinResolution = 16;

    /// <summary>Largest accepted <see cref="Resolution"/>.</summary>
    public const int MaxResolution = 2048;

    /// <summary>The Iconify JSON npm tarball, e.g. <c>iconify-json-noto-1.2.9.tgz</c>.</summary>
    public required string PackagePath { get; init; }

    /// <summary>
    /// An emoji set written by <see cref="EmojiDatasetPreparation"/> (<c>matryoshka prepare-emoji</c>, e.g. <c>data/emoji</c>):
    /// the emoji to render, their captions, and the images to compare with.
    /// </summary>
    public required string ReferenceFolder { get; init; }

    /// <summary>The folder to write; created when absent. It must be empty or hold an earlier output.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Side of the square output images in pixels; a whole multiple of the reference images' side.</summary>
    public int Resolution { get; init; } = 256;

    /// <summary>
    /// Largest mean absolute difference (0–255) between the render pooled to the reference size and the reference
    /// image for which an emoji is kept; above it the art is taken to have changed between Noto releases.
    /// </summary>
    public double MaxDifference { get; init; } = 5;

    /// <summary>The renderer that makes the images; null for Svg.Skia.</summary>
    public ISvgRasterizer? Renderer { get; init; }

    /// <summary>A second renderer to compare with (its difference goes into <c>faithfulness.tsv</c>); null for none.</summary>
    public ISvgRasterizer? CompareWith { get; init; }

    /// <summary>Consider at most this many emoji (the first in index order); null for all.</summary>
    public int? Limit { get; init; }

    /// <summary>Only these emoji, by file stem (<c>1f34e</c>); null for all.</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Size limits for reading the package.</summary>
    public IconifyLimits PackageLimits { get; init; } = new();

    /// <summary>Refuses options no run could use; reads nothing.</summary>
    /// <exception cref="EmojiPreparationException">An option is empty or out of range, or the output is the reference folder.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(PackagePath))
            throw new EmojiPreparationException(nameof(PackagePath), " is empty; give the .tgz that `npm pack @iconify-json/noto@1.2.9` wrote");
        if (string.IsNullOrWhiteSpace(ReferenceFolder))
            throw new EmojiPreparationException(nameof(ReferenceFolder), " is empty; give a prepare-emoji output such as data/emoji");
        if (string.IsNullOrWhiteSpace(OutputFolder))
            throw new EmojiPreparationException(nameof(OutputFolder), " is empty; give the folder to write");
        if (FullPath(OutputFolder) == FullPath(ReferenceFolder))
            throw new EmojiPreparationException(nameof(OutputFolder), " must not be the reference folder");
        if (Resolution is < MinResolution or > MaxResolution)
            throw new EmojiPreparationException(nameof(Resolution), $" must be between {MinResolution} and {MaxResolution}; got {Resolution}");
        if (!(MaxDifference is >= 0 and <= 255))
            throw new EmojiPreparationException(nameof(MaxDifference), $" must be between 0 and 255; got {MaxDifference}");
        if (Limit is <= 0)
            throw new EmojiPreparationException(nameof(Limit), $" must be positive; got {Limit}");
        if (Only is { Count: 0 })
            throw new EmojiPreparationException(nameof(Only), " names no emoji");
        ArgumentNullException.ThrowIfNull(PackageLimits);
    }

    /// <summary>The absolute path without a trailing separator: <c>data/emoji/</c> and <c>data/emoji</c> are one folder.</summary>
    private static string FullPath(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
