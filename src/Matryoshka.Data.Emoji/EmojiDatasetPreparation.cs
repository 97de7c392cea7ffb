using System.Text;
using Matryoshka.ImageSharp;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// Prepares the emoji training set from an emoji-datasource npm tarball: for every emoji with a Google image it
/// writes <c>&lt;stem&gt;.png</c> (RGB on white, at the asked resolution) and <c>&lt;stem&gt;.txt</c> (one caption per
/// line, see <see cref="EmojiCaptions"/>), then <c>index.tsv</c> and <c>NOTICE</c>. The stem is the unified code
/// point sequence in lower case (<c>1f34e</c>). Output is deterministic: emoji go in ordinal file-name order and the
/// same package and options give the same bytes. Bad emoji are skipped and reported; only a bad package, bad
/// options or an output folder it must not touch stop the run, before anything is written.
/// </summary>
/// <example>
/// <code>
/// var result = await EmojiDatasetPreparation.PrepareAsync(new EmojiPreparationOptions
/// {
///     PackagePath = "emoji-datasource-google-16.0.0.tgz",   // npm pack emoji-datasource-google@16.0.0
///     OutputFolder = "data/emoji",
/// });
/// Console.WriteLine($"{result.Written} emoji written, {result.Skipped.Count} skipped");
/// </code>
/// </example>
public static class EmojiDatasetPreparation
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs the preparation on a worker thread.</summary>
    /// <param name="options">What to read, where to write, which emoji; validated before anything is read.</param>
    /// <param name="progress">Told after each emoji considered; null for none.</param>
    /// <param name="cancellationToken">Stops the run between two emoji; the folder then holds an index of what was
    /// written, so a later run replaces it.</param>
    /// <exception cref="EmojiPreparationException">The options are invalid, or the output folder must not be written.</exception>
    /// <exception cref="EmojiPackageException">The package is refused as a whole.</exception>
    /// <exception cref="IOException">Writing the output failed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static async Task<EmojiPreparationResult> PrepareAsync(EmojiPreparationOptions options,
        IProgress<EmojiPreparationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return await Task.Run(() => Prepare(options, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static EmojiPreparationResult Prepare(EmojiPreparationOptions options, IProgress<EmojiPreparationProgress>? progress,
        CancellationToken cancellationToken)
    {
        EmojiOutputFolder.Check(options.OutputFolder);
        var package = EmojiPackageReader.Read(options.PackagePath, options.PackageLimits);
        var catalog = EmojiCatalog.Parse(package.Catalog, package.Path);
        var skipped = new List<EmojiSkip>(catalog.Malformed);

        var wanted = catalog.Emoji.Where(e => options.IncludeSkinTones || (e.SkinTone is null && !e.IsSkinToneSwatch)).ToList();
        // With Only nothing is "left out": every emoji not named was simply not asked for.
        bool countLeftOut = !options.IncludeSkinTones && options.Only is null;
        int variantsLeftOut = countLeftOut ? catalog.Emoji.Count(e => e.SkinTone is not null) : 0;
        int swatchesLeftOut = countLeftOut ? catalog.Emoji.Count(e => e.SkinTone is null && e.IsSkinToneSwatch) : 0;
        if (options.Only is { } only)
            wanted = Select(wanted, only);

        var index = EmojiIndexWriter.Start(options.OutputFolder);
        var renderer = new EmojiImageRenderer(options.Resolution, options.PackageLimits.MaxImageBytes);
        var written = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var writtenStems = new List<string>();
        var stems = new HashSet<string>(StringComparer.Ordinal);
        int considered = 0;
        // OrderBy is stable: among equal stems the catalog's first entry wins and the later ones are duplicates.
        foreach (var emoji in wanted.OrderBy(e => e.Stem, StringComparer.Ordinal))
        {
            if (options.Limit is { } limit && writtenStems.Count >= limit)
                break;
            index.ThrowIfCancelled(cancellationToken);
            if (!stems.Add(emoji.Stem))
                skipped.Add(new EmojiSkip(emoji.Stem, EmojiSkipReason.Duplicate, "an earlier catalog entry has the same code points"));
            else if (Render(emoji, package, renderer, skipped) is { } png)
            {
                var captions = EmojiCaptions.For(emoji);
                var imageFile = emoji.Stem + ".png";
                File.WriteAllBytes(Path.Combine(options.OutputFolder, imageFile), png);
                File.WriteAllBytes(Path.Combine(options.OutputFolder, emoji.Stem + ".txt"), Utf8.GetBytes(string.Join('\n', captions) + "\n"));
                index.Add(EmojiIndexFile.Row(imageFile, emoji, captions));
                writtenStems.Add(emoji.Stem);
                written[emoji.Category] = written.GetValueOrDefault(emoji.Category) + 1;
            }
            progress?.Report(new EmojiPreparationProgress(++considered, wanted.Count, emoji.Stem));
        }
        index.Finish();
        File.WriteAllBytes(Path.Combine(options.OutputFolder, EmojiNotice.FileName), EmojiNotice.Create(package, options.Resolution));

        return new EmojiPreparationResult(options.OutputFolder, EmojiNotice.Describe(package), options.Resolution,
            written, writtenStems, skipped, variantsLeftOut, swatchesLeftOut);
    }

    /// <summary>The emoji named by <paramref name="only"/> (stems or short names, any case); every name must match.</summary>
    private static List<EmojiRecord> Select(List<EmojiRecord> candidates, IReadOnlyList<string> only)
    {
        var names = only.Select(name => name.Trim().ToLowerInvariant()).Where(name => name.Length > 0).ToHashSet(StringComparer.Ordinal);
        bool Matches(EmojiRecord e, string name) => e.Stem == name || e.ShortNames.Any(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
        var unmatched = names.Where(name => !candidates.Any(e => Matches(e, name))).Order(StringComparer.Ordinal).ToList();
        if (unmatched.Count > 0)
            throw new EmojiPreparationException(nameof(EmojiPreparationOptions.Only),
                $": no emoji has the file stem or short name {string.Join(", ", unmatched.Select(n => $"'{n}'"))}");
        return candidates.Where(e => names.Any(name => Matches(e, name))).ToList();
    }

    private static byte[]? Render(EmojiRecord emoji, EmojiPackage package, EmojiImageRenderer renderer, List<EmojiSkip> skipped)
    {
        var entry = EmojiPackageReader.ImageFolder + emoji.Image;
        if (!emoji.HasGoogleImage)
        {
            skipped.Add(new EmojiSkip(emoji.Stem, EmojiSkipReason.NoGoogleImage, "the catalog says it has no Google image"));
            return null;
        }
        if (package.OversizedImages.Contains(emoji.Image))
        {
            skipped.Add(new EmojiSkip(emoji.Stem, EmojiSkipReason.ImageTooLarge, $"{entry} is larger than the image size limit"));
            return null;
        }
        if (!package.Images.TryGetValue(emoji.Image, out var bytes))
        {
            skipped.Add(new EmojiSkip(emoji.Stem, EmojiSkipReason.MissingImage, $"{entry} is not in the package"));
            return null;
        }
        try
        {
            return renderer.Render(bytes, entry);
        }
        catch (ImageDecodeException e)
        {
            skipped.Add(new EmojiSkip(emoji.Stem, EmojiSkipReason.CorruptImage, e.Message));
            return null;
        }
    }
}
