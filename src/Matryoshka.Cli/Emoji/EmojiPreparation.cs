using System.Text;
using Matryoshka.ImageSharp;

namespace Matryoshka.Cli.Emoji;

/// <summary>
/// Prepares the emoji training set from an emoji-datasource npm tarball: for every emoji with a Google image it
/// writes <c>&lt;stem&gt;.png</c> (RGB on white, at the asked resolution) and <c>&lt;stem&gt;.txt</c> (one caption per
/// line, see <see cref="EmojiCaptions"/>), then <c>index.tsv</c> and <c>NOTICE</c>. The stem is the unified code
/// point sequence in lower case (<c>1f34e</c>). Output is deterministic: emoji go in ordinal file-name order and the
/// same package and options give the same bytes. Bad emoji are skipped and reported; only a bad package, bad
/// options or an output folder it must not touch stop the run, before anything is written.
/// </summary>
public static class EmojiPreparation
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs the preparation.</summary>
    /// <exception cref="EmojiPreparationException">The options are invalid, or the output folder must not be written.</exception>
    /// <exception cref="EmojiPackageException">The package is refused as a whole.</exception>
    /// <exception cref="IOException">Writing the output failed.</exception>
    public static EmojiPreparationReport Run(EmojiPreparationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        EmojiOutputFolder.Check(options.OutputFolder);

        var package = EmojiPackageReader.Read(options.PackagePath, options.PackageLimits);
        var catalog = EmojiCatalog.Parse(package.Catalog, package.Path);
        var skipped = new List<EmojiSkip>(catalog.Malformed);

        var wanted = catalog.Emoji.Where(e => options.IncludeSkinTones || (e.SkinTone is null && !e.IsSkinToneSwatch)).ToList();
        // With --only nothing is "left out": every emoji not named was simply not asked for.
        bool countLeftOut = !options.IncludeSkinTones && options.Only is null;
        int variantsLeftOut = countLeftOut ? catalog.Emoji.Count(e => e.SkinTone is not null) : 0;
        int swatchesLeftOut = countLeftOut ? catalog.Emoji.Count(e => e.SkinTone is null && e.IsSkinToneSwatch) : 0;
        if (options.Only is { } only)
            wanted = Select(wanted, only);

        EmojiOutputFolder.Reset(options.OutputFolder);
        // A header-only index first: should the run stop half-way, the folder still reads as an earlier output
        // that the next run may replace, instead of a foreign folder it refuses.
        File.WriteAllBytes(Path.Combine(options.OutputFolder, EmojiIndexFile.FileName), EmojiIndexFile.Encode([]));
        var renderer = new EmojiImageRenderer(options.Resolution, options.PackageLimits.MaxImageBytes);
        var written = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<string>();
        var stems = new HashSet<string>(StringComparer.Ordinal);
        // OrderBy is stable: among equal stems the catalog's first entry wins and the later ones are duplicates.
        foreach (var emoji in wanted.OrderBy(e => e.Stem, StringComparer.Ordinal))
        {
            if (options.Limit is { } limit && rows.Count >= limit)
                break;
            if (!stems.Add(emoji.Stem))
            {
                skipped.Add(new EmojiSkip(emoji.Stem, EmojiSkipReason.Duplicate, "an earlier catalog entry has the same code points"));
                continue;
            }
            if (Render(emoji, package, renderer, skipped) is not { } png)
                continue;

            var captions = EmojiCaptions.For(emoji);
            var imageFile = emoji.Stem + ".png";
            File.WriteAllBytes(Path.Combine(options.OutputFolder, imageFile), png);
            File.WriteAllBytes(Path.Combine(options.OutputFolder, emoji.Stem + ".txt"), Utf8.GetBytes(string.Join('\n', captions) + "\n"));
            rows.Add(EmojiIndexFile.Row(imageFile, emoji, captions));
            written[emoji.Category] = written.GetValueOrDefault(emoji.Category) + 1;
        }
        File.WriteAllBytes(Path.Combine(options.OutputFolder, EmojiIndexFile.FileName), EmojiIndexFile.Encode(rows));
        File.WriteAllBytes(Path.Combine(options.OutputFolder, EmojiNotice.FileName), EmojiNotice.Create(package, options.Resolution));

        return new EmojiPreparationReport(options.OutputFolder, EmojiNotice.Describe(package), options.Resolution,
            written, skipped, variantsLeftOut, swatchesLeftOut);
    }

    private static void Validate(EmojiPreparationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PackagePath))
            throw new EmojiPreparationException("--package is empty; give the .tgz that `npm pack emoji-datasource-google@16.0.0` wrote");
        if (string.IsNullOrWhiteSpace(options.OutputFolder))
            throw new EmojiPreparationException("--out is empty; give the folder to write");
        if (options.Resolution is < EmojiPreparationOptions.MinResolution or > EmojiPreparationOptions.MaxResolution)
            throw new EmojiPreparationException(
                $"--resolution must be between {EmojiPreparationOptions.MinResolution} and {EmojiPreparationOptions.MaxResolution}; got {options.Resolution}");
        if (options.Limit is <= 0)
            throw new EmojiPreparationException($"--limit must be positive; got {options.Limit}");
        if (options.Only is { Count: 0 })
            throw new EmojiPreparationException("--only names no emoji");
    }

    /// <summary>The emoji named by <paramref name="only"/> (stems or short names, any case); every name must match.</summary>
    private static List<EmojiRecord> Select(List<EmojiRecord> candidates, IReadOnlyList<string> only)
    {
        var names = only.Select(name => name.Trim().ToLowerInvariant()).Where(name => name.Length > 0).ToHashSet(StringComparer.Ordinal);
        bool Matches(EmojiRecord e, string name) => e.Stem == name || e.ShortNames.Any(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
        var unmatched = names.Where(name => !candidates.Any(e => Matches(e, name))).Order(StringComparer.Ordinal).ToList();
        if (unmatched.Count > 0)
            throw new EmojiPreparationException($"--only: no emoji has the file stem or short name {string.Join(", ", unmatched.Select(n => $"'{n}'"))}");
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
