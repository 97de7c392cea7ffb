using Matryoshka.Training.Data;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// What <see cref="EmojiClipPreparation"/> makes: from a prepared emoji folder (PNG + caption sidecars, e.g. what
/// <c>prepare-emoji</c> writes), one clip per emoji and motion, saved as a grid of frames that a video model trains on.
/// </summary>
public sealed record EmojiClipOptions
{
    /// <summary>The prepared emoji folder to read (square PNGs with a <c>.txt</c> caption file each).</summary>
    public required string SourceFolder { get; init; }

    /// <summary>The folder to write; it must not exist or be empty.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Frames per side of each clip's grid: S² frames per clip (a video model's <c>FrameGrid</c>), 2 … 8.</summary>
    public int FrameGrid { get; init; } = 4;

    /// <summary>Side of one frame in pixels; the source side must be a multiple of it (frames are area-averaged down).</summary>
    public int FrameSize { get; init; } = 16;

    /// <summary>The motions to make, each captioned with its phrase after the emoji's caption.</summary>
    public IReadOnlyList<ClipMotion> Motions { get; init; } = ClipMotions.All;

    /// <summary>At most this many emoji (in file-name order); null for all.</summary>
    public int? Limit { get; init; }
}
