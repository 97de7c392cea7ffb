using System.CommandLine;
using System.Globalization;
using Matryoshka.Data.Emoji;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka prepare-emoji --package FILE.tgz --out FOLDER</c>: writes the Noto emoji training set (PNG + caption
/// file per emoji, <c>index.tsv</c>, <c>NOTICE</c>) from the emoji-datasource-google npm tarball; see
/// <see cref="EmojiDatasetPreparation"/>. Exit codes: 0 written (skipped emoji are reported, not errors), 1 failed while
/// writing, 2 refused input (package, options or output folder).
/// </summary>
internal static class PrepareEmojiCommand
{
    internal const int Failed = 1;
    internal const int InputRefused = 2;

    /// <summary>Most skipped emoji listed one by one; the rest are only counted.</summary>
    private const int ListedSkips = 20;

    /// <summary>The command-line flag of each <see cref="EmojiPreparationOptions"/> property, for error messages.</summary>
    private static readonly Dictionary<string, string> Flags = new()
    {
        [nameof(EmojiPreparationOptions.PackagePath)] = "--package",
        [nameof(EmojiPreparationOptions.OutputFolder)] = "--out",
        [nameof(EmojiPreparationOptions.Resolution)] = "--resolution",
        [nameof(EmojiPreparationOptions.Limit)] = "--limit",
        [nameof(EmojiPreparationOptions.Only)] = "--only",
    };

    public static Command Create()
    {
        var package = new Option<string>("--package") { Description = "The npm tarball: `npm pack emoji-datasource-google@16.0.0`.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write (created; must be empty or an earlier output).", Required = true };
        var resolution = new Option<int>("--resolution") { Description = "Side of the square images in pixels (64 = as in the package).", DefaultValueFactory = _ => 64 };
        var limit = new Option<int?>("--limit") { Description = "Write at most N emoji (the first in file-name order)." };
        var skinTones = new Option<bool>("--include-skin-tones") { Description = "Also write skin-tone variants and swatches." };
        var only = new Option<string?>("--only") { Description = "Only these emoji: file stems (1f34e) or short names (apple), comma-separated." };
        var command = new Command("prepare-emoji",
            "Prepare the Noto emoji training set from the emoji-datasource-google npm tarball: RGB PNGs on white and caption files.");
        foreach (var option in new Option[] { package, output, resolution, limit, skinTones, only })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => RunAsync(new EmojiPreparationOptions
        {
            PackagePath = parse.GetValue(package)!,
            OutputFolder = parse.GetValue(output)!,
            Resolution = parse.GetValue(resolution),
            Limit = parse.GetValue(limit),
            IncludeSkinTones = parse.GetValue(skinTones),
            Only = parse.GetValue(only)?.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        }, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    internal static Task<int> RunAsync(EmojiPreparationOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        GuardedAsync(() => EmojiDatasetPreparation.PrepareAsync(options, progress: null, cancellationToken), Flags, options.OutputFolder,
            result => Write(result, stdout), stderr);

    /// <summary>
    /// Runs a preparation and maps its failures to exit codes: a refused input (any <see cref="MatryoshkaException"/>)
    /// to <see cref="InputRefused"/>, its option named by its <paramref name="flags"/>; a failed write to
    /// <see cref="Failed"/>; on success writes the result and returns 0.
    /// </summary>
    internal static async Task<int> GuardedAsync<TResult>(Func<Task<TResult>> prepare, IReadOnlyDictionary<string, string> flags,
        string outputFolder, Action<TResult> write, TextWriter stderr)
    {
        TResult result;
        try
        {
            result = await prepare();
        }
        catch (EmojiPreparationException e) when (flags.TryGetValue(e.Option, out var flag))
        {
            stderr.WriteLine($"refused: {flag}{e.Message[e.Option.Length..]}");
            return InputRefused;
        }
        catch (MatryoshkaException e)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return InputRefused;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"failed to write {outputFolder}: {e.Message}");
            return Failed;
        }
        write(result);
        return 0;
    }

    private static void Write(EmojiPreparationResult report, TextWriter stdout)
    {
        var invariant = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Format(invariant, "wrote {0:N0} emoji from {1} to {2} ({3}×{3} RGB on white, one caption per line in .txt)",
            report.Written, report.Package, report.OutputFolder, report.Resolution));
        stdout.WriteLine(string.Format(invariant, "skipped {0:N0}{1}", report.Skipped.Count,
            report.Skipped.Count == 0 ? "" : ": " + string.Join(", ", report.Skipped.GroupBy(s => s.Reason).OrderBy(g => g.Key)
                .Select(g => string.Format(invariant, "{0} {1:N0}", g.Key, g.Count())))));
        foreach (var skip in report.Skipped.Take(ListedSkips))
            stdout.WriteLine($"  {skip.Entry}: {skip.Detail}");
        if (report.Skipped.Count > ListedSkips)
            stdout.WriteLine(string.Format(invariant, "  … and {0:N0} more", report.Skipped.Count - ListedSkips));
        if (report.SkinToneVariantsLeftOut + report.SkinToneSwatchesLeftOut > 0)
            stdout.WriteLine(string.Format(invariant, "left out {0:N0} skin-tone variants and {1:N0} skin-tone swatches (--include-skin-tones writes them)",
                report.SkinToneVariantsLeftOut, report.SkinToneSwatchesLeftOut));
        stdout.WriteLine("by category:");
        int width = report.WrittenByCategory.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
        foreach (var (category, count) in report.WrittenByCategory)
            stdout.WriteLine(string.Format(invariant, "  {0} {1,6:N0}", category.PadRight(width), count));
    }
}
