namespace Matryoshka.Data.Emoji;

/// <summary>What <see cref="EmojiDatasetPreparation"/> reads, where it writes, and which emoji it takes; checked when the run starts.</summary>
public sealed record EmojiPreparationOptions
{
    /// <summary>Smallest accepted <see cref="Resolution"/>.</summary>
    public const int MinResolution = 8;

    /// <summary>Largest accepted <see cref="Resolution"/>.</summary>
    public const int MaxResolution = 1024;

    /// <summary>The npm tarball, e.g. <c>emoji-datasource-google-16.0.0.tgz</c>.</summary>
    public required string PackagePath { get; init; }

    /// <summary>The folder to write; created when absent. It must be empty or hold an earlier output of this preparation.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Side of the square output images in pixels; 64 copies the package's 64 × 64 images as they are (after compositing).</summary>
    public int Resolution { get; init; } = 64;

    /// <summary>Write at most this many emoji (the first in file-name order); null for all.</summary>
    public int? Limit { get; init; }

    /// <summary>Also write the skin-tone variants and the five skin-tone swatches (left out by default).</summary>
    public bool IncludeSkinTones { get; init; }

    /// <summary>Write only these emoji, each named by file stem (<c>1f34e</c>) or short name (<c>apple</c>); null for all.</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Size limits for reading the package.</summary>
    public EmojiPackageLimits PackageLimits { get; init; } = new();

    /// <summary>Refuses options no run could use; reads nothing.</summary>
    /// <exception cref="EmojiPreparationException">An option is empty or out of range.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(PackagePath))
            throw new EmojiPreparationException(nameof(PackagePath), " is empty; give the .tgz that `npm pack emoji-datasource-google@16.0.0` wrote");
        if (string.IsNullOrWhiteSpace(OutputFolder))
            throw new EmojiPreparationException(nameof(OutputFolder), " is empty; give the folder to write");
        if (Resolution is < MinResolution or > MaxResolution)
            throw new EmojiPreparationException(nameof(Resolution), $" must be between {MinResolution} and {MaxResolution}; got {Resolution}");
        if (Limit is <= 0)
            throw new EmojiPreparationException(nameof(Limit), $" must be positive; got {Limit}");
        if (Only is { Count: 0 })
            throw new EmojiPreparationException(nameof(Only), " names no emoji");
        ArgumentNullException.ThrowIfNull(PackageLimits);
    }
}
