using Matryoshka.ImageSharp;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Prepares a high-resolution emoji set from SVG art that follows a low-resolution emoji set written by
/// <see cref="EmojiDatasetPreparation"/> (the reference): for each reference emoji, its icon is found by code points
/// in the Iconify package, rendered at the asked resolution on white, and compared with the reference image after
/// average pooling. Emoji within <see cref="SvgEmojiPreparationOptions.MaxDifference"/> are written as
/// <c>&lt;stem&gt;.png</c> with the reference's caption file and index row; every emoji's outcome goes to
/// <c>faithfulness.tsv</c>. One bad icon is skipped and reported; only a bad package, reference folder or options
/// stop the run, before anything is written. Output is deterministic for the same inputs and renderer.
/// </summary>
/// <example>
/// <code>
/// var result = await SvgEmojiDatasetPreparation.PrepareAsync(new SvgEmojiPreparationOptions
/// {
///     PackagePath = "iconify-json-noto-1.2.9.tgz",   // npm pack @iconify-json/noto@1.2.9
///     ReferenceFolder = "data/emoji",                // written by EmojiDatasetPreparation
///     OutputFolder = "data/emoji-256",
/// });
/// Console.WriteLine($"kept {result.Kept} of {result.Outcomes.Count}");
/// </code>
/// </example>
public static class SvgEmojiDatasetPreparation
{
    /// <summary>Runs the preparation on a worker thread.</summary>
    /// <param name="options">What to read, how to render and judge, where to write; validated before anything is read.</param>
    /// <param name="progress">Told after each reference emoji considered; null for none.</param>
    /// <param name="cancellationToken">Stops the run between two emoji; the folder then holds an index of what was
    /// written, so a later run replaces it.</param>
    /// <exception cref="EmojiPreparationException">The options or the reference folder are invalid, or the output folder must not be written.</exception>
    /// <exception cref="EmojiPackageException">The icon package is refused as a whole.</exception>
    /// <exception cref="IOException">Reading the reference or writing the output failed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static async Task<SvgEmojiPreparationResult> PrepareAsync(SvgEmojiPreparationOptions options,
        IProgress<EmojiPreparationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return await Task.Run(() => Prepare(options, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static SvgEmojiPreparationResult Prepare(SvgEmojiPreparationOptions options, IProgress<EmojiPreparationProgress>? progress,
        CancellationToken cancellationToken)
    {
        EmojiOutputFolder.Check(options.OutputFolder);
        var wanted = Select(ReferenceEmojiSet.Read(options.ReferenceFolder), options);
        var package = IconifyPackageReader.Read(options.PackagePath, options.PackageLimits);

        long maxCharacters = options.PackageLimits.MaxDocumentChars;
        var renderer = new SvgEmojiRenderer(options.Renderer ?? new SkiaSvgRasterizer(maxCharacters), maxCharacters);
        var comparison = options.CompareWith is { } other ? new SvgEmojiRenderer(other, maxCharacters) : null;
        var judge = new SvgEmojiJudge(package.Icons, renderer, comparison, options.Resolution, options.MaxDifference);

        var index = EmojiIndexWriter.Start(options.OutputFolder);
        var outcomes = new List<SvgEmojiOutcome>();
        foreach (var emoji in wanted)
        {
            index.ThrowIfCancelled(cancellationToken);
            var (outcome, image) = judge.Judge(emoji);
            using (image)
            {
                if (outcome.Decision == SvgEmojiDecision.Kept && image is not null)
                {
                    PngFiles.SaveAsPng(image, Path.Combine(options.OutputFolder, emoji.Stem + ".png"));
                    File.Copy(emoji.CaptionPath, Path.Combine(options.OutputFolder, emoji.Stem + ".txt"), overwrite: true);
                    index.Add(emoji.IndexRow);
                }
            }
            outcomes.Add(outcome);
            progress?.Report(new EmojiPreparationProgress(outcomes.Count, wanted.Count, emoji.Stem));
        }
        var result = new SvgEmojiPreparationResult(options.OutputFolder, package.Describe(), renderer.Name, options.Resolution,
            options.MaxDifference, outcomes);
        File.WriteAllBytes(Path.Combine(options.OutputFolder, FaithfulnessFile.FileName), FaithfulnessFile.Encode(outcomes));
        File.WriteAllBytes(Path.Combine(options.OutputFolder, EmojiNotice.FileName), SvgEmojiNotice.Create(result, options.ReferenceFolder));
        index.Finish();
        return result;
    }

    /// <summary>The reference emoji to consider: those named by Only (every name must exist), at most Limit.</summary>
    private static List<ReferenceEmoji> Select(IReadOnlyList<ReferenceEmoji> reference, SvgEmojiPreparationOptions options)
    {
        IEnumerable<ReferenceEmoji> selected = reference;
        if (options.Only is { } only)
        {
            var stems = only.Select(s => s.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var unknown = stems.Where(s => reference.All(e => e.Stem != s)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                throw new EmojiPreparationException(nameof(SvgEmojiPreparationOptions.Only),
                    $": the reference set has no emoji {string.Join(", ", unknown.Select(s => $"'{s}'"))}");
            selected = selected.Where(e => stems.Contains(e.Stem));
        }
        return (options.Limit is { } limit ? selected.Take(limit) : selected).ToList();
    }
}
