using Matryoshka.Cli.Emoji;
using Matryoshka.ImageSharp;

namespace Matryoshka.Cli.EmojiSvg;

/// <summary>
/// Prepares a high-resolution emoji set from SVG art that follows a low-resolution <c>prepare-emoji</c> output (the
/// reference): for each reference emoji, its icon is found by code points in the Iconify package, rendered at the
/// asked resolution on white, and compared with the reference image after average pooling
/// (<see cref="PooledDifference"/>). Emoji within <see cref="SvgEmojiPreparationOptions.MaxDifference"/> are
/// written as <c>&lt;stem&gt;.png</c> with the reference's caption file and index row; every emoji's outcome goes
/// to <c>faithfulness.tsv</c>. One bad icon is skipped and reported; only a bad package, reference folder or options
/// stop the run, before anything is written. Output is deterministic for the same inputs and renderer.
/// </summary>
public static class SvgEmojiPreparation
{
    /// <summary>Runs the preparation.</summary>
    /// <exception cref="EmojiPreparationException">The options or the reference folder are invalid, or the output folder must not be written.</exception>
    /// <exception cref="EmojiPackageException">The icon package is refused as a whole.</exception>
    /// <exception cref="IOException">Reading the reference or writing the output failed.</exception>
    public static SvgEmojiPreparationReport Run(SvgEmojiPreparationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        EmojiOutputFolder.Check(options.OutputFolder);
        var wanted = Select(ReferenceEmojiSet.Read(options.ReferenceFolder), options);
        var package = IconifyPackageReader.Read(options.PackagePath, options.PackageLimits);

        long maxCharacters = options.PackageLimits.MaxIconBodyChars + 1024L;
        var renderer = new SvgEmojiRenderer(options.Renderer ?? new SkiaSvgRasterizer(maxCharacters), maxCharacters);
        var comparison = options.CompareWith is { } other ? new SvgEmojiRenderer(other, maxCharacters) : null;
        var judge = new SvgEmojiJudge(package.Icons, renderer, comparison, options.Resolution, options.MaxDifference);

        EmojiOutputFolder.Reset(options.OutputFolder);
        // A header-only index first: a run stopped half-way leaves a folder the next run recognises and replaces.
        var indexPath = Path.Combine(options.OutputFolder, EmojiIndexFile.FileName);
        File.WriteAllBytes(indexPath, EmojiIndexFile.Encode([]));
        var outcomes = new List<SvgEmojiOutcome>();
        var rows = new List<string>();
        foreach (var emoji in wanted)
        {
            var (outcome, image) = judge.Judge(emoji);
            using (image)
            {
                if (outcome.Decision == SvgEmojiDecision.Kept && image is not null)
                {
                    PngFiles.SaveAsPng(image, Path.Combine(options.OutputFolder, emoji.Stem + ".png"));
                    File.Copy(emoji.CaptionPath, Path.Combine(options.OutputFolder, emoji.Stem + ".txt"), overwrite: true);
                    rows.Add(emoji.IndexRow);
                }
            }
            outcomes.Add(outcome);
        }
        var report = new SvgEmojiPreparationReport(options.OutputFolder, package.Describe(), renderer.Name, options.Resolution,
            options.MaxDifference, outcomes);
        File.WriteAllBytes(Path.Combine(options.OutputFolder, FaithfulnessFile.FileName), FaithfulnessFile.Encode(outcomes));
        File.WriteAllBytes(Path.Combine(options.OutputFolder, EmojiNotice.FileName), SvgEmojiNotice.Create(report, options.ReferenceFolder));
        File.WriteAllBytes(indexPath, EmojiIndexFile.Encode(rows));
        return report;
    }

    private static void Validate(SvgEmojiPreparationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PackagePath))
            throw new EmojiPreparationException("--svg-package is empty; give the .tgz that `npm pack @iconify-json/noto@1.2.9` wrote");
        if (string.IsNullOrWhiteSpace(options.ReferenceFolder))
            throw new EmojiPreparationException("--reference is empty; give a prepare-emoji output such as data/emoji");
        if (string.IsNullOrWhiteSpace(options.OutputFolder))
            throw new EmojiPreparationException("--out is empty; give the folder to write");
        if (Path.GetFullPath(options.OutputFolder) == Path.GetFullPath(options.ReferenceFolder))
            throw new EmojiPreparationException("--out must not be the --reference folder");
        if (options.Resolution is < SvgEmojiPreparationOptions.MinResolution or > SvgEmojiPreparationOptions.MaxResolution)
            throw new EmojiPreparationException(
                $"--resolution must be between {SvgEmojiPreparationOptions.MinResolution} and {SvgEmojiPreparationOptions.MaxResolution}; got {options.Resolution}");
        if (!(options.MaxDifference is >= 0 and <= 255))
            throw new EmojiPreparationException($"--max-difference must be between 0 and 255; got {options.MaxDifference}");
        if (options.Limit is <= 0)
            throw new EmojiPreparationException($"--limit must be positive; got {options.Limit}");
        if (options.Only is { Count: 0 })
            throw new EmojiPreparationException("--only names no emoji");
    }

    /// <summary>The reference emoji to consider: those named by --only (every name must exist), at most --limit.</summary>
    private static List<ReferenceEmoji> Select(IReadOnlyList<ReferenceEmoji> reference, SvgEmojiPreparationOptions options)
    {
        IEnumerable<ReferenceEmoji> selected = reference;
        if (options.Only is { } only)
        {
            var stems = only.Select(s => s.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var unknown = stems.Where(s => reference.All(e => e.Stem != s)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                throw new EmojiPreparationException($"--only: the reference set has no emoji {string.Join(", ", unknown.Select(s => $"'{s}'"))}");
            selected = selected.Where(e => stems.Contains(e.Stem));
        }
        return (options.Limit is { } limit ? selected.Take(limit) : selected).ToList();
    }
}
