using System.CommandLine;
using System.Globalization;
using Matryoshka.Data.Emoji;
using Matryoshka.Data.Emoji.Svg;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka prepare-emoji-svg --svg-package FILE.tgz --reference data/emoji --out FOLDER</c>: renders the emoji
/// of a <c>prepare-emoji</c> output from the Noto SVGs of <c>@iconify-json/noto</c> at a higher resolution and keeps
/// those whose art still matches; see <see cref="SvgEmojiDatasetPreparation"/>. Exit codes as <c>prepare-emoji</c>: 0
/// written (skipped and excluded emoji are reported, not errors), 1 failed while writing, 2 refused input.
/// </summary>
internal static class PrepareEmojiSvgCommand
{
    /// <summary>Most excluded emoji listed one by one; faithfulness.tsv has them all.</summary>
    private const int ListedExclusions = 12;

    /// <summary>The command-line flag of each <see cref="SvgEmojiPreparationOptions"/> property, for error messages.</summary>
    private static readonly Dictionary<string, string> Flags = new()
    {
        [nameof(SvgEmojiPreparationOptions.PackagePath)] = "--svg-package",
        [nameof(SvgEmojiPreparationOptions.ReferenceFolder)] = "--reference",
        [nameof(SvgEmojiPreparationOptions.OutputFolder)] = "--out",
        [nameof(SvgEmojiPreparationOptions.Resolution)] = "--resolution",
        [nameof(SvgEmojiPreparationOptions.MaxDifference)] = "--max-difference",
        [nameof(SvgEmojiPreparationOptions.Limit)] = "--limit",
        [nameof(SvgEmojiPreparationOptions.Only)] = "--only",
    };

    public static Command Create()
    {
        var package = new Option<string>("--svg-package") { Description = "The npm tarball: `npm pack @iconify-json/noto@1.2.9`.", Required = true };
        var reference = new Option<string>("--reference") { Description = "A prepare-emoji output (e.g. data/emoji): which emoji, their captions, and the images to match.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write (created; must be empty or an earlier output).", Required = true };
        var resolution = new Option<int>("--resolution") { Description = "Side of the square images in pixels (a multiple of the reference's).", DefaultValueFactory = _ => 256 };
        var maxDifference = new Option<double>("--max-difference") { Description = "Keep emoji whose render, pooled to the reference size, differs from it by at most this (mean absolute, 0-255).", DefaultValueFactory = _ => 5 };
        var renderer = new Option<string>("--renderer") { Description = "skia (Svg.Skia, in process) or rsvg-convert (needs Debian's librsvg2-bin).", DefaultValueFactory = _ => "skia" };
        var compare = new Option<string?>("--compare-with") { Description = "Also render with this renderer and record the difference per emoji in faithfulness.tsv." };
        var limit = new Option<int?>("--limit") { Description = "Consider at most N emoji (the first in index order)." };
        var only = new Option<string?>("--only") { Description = "Only these emoji, by file stem (1f34e), comma-separated." };
        var command = new Command("prepare-emoji-svg",
            "Render the emoji of a prepare-emoji output from Noto SVGs (@iconify-json/noto) at a higher resolution, keeping those whose art matches.");
        foreach (var option in new Option[] { package, reference, output, resolution, maxDifference, renderer, compare, limit, only })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            if (Rasterizer(parse.GetValue(renderer)!, stderr) is not { } main)
                return Task.FromResult(PrepareEmojiCommand.InputRefused);
            ISvgRasterizer? other = null;
            if (parse.GetValue(compare) is { } compareName && (other = Rasterizer(compareName, stderr)) is null)
                return Task.FromResult(PrepareEmojiCommand.InputRefused);
            return RunAsync(new SvgEmojiPreparationOptions
            {
                PackagePath = parse.GetValue(package)!,
                ReferenceFolder = parse.GetValue(reference)!,
                OutputFolder = parse.GetValue(output)!,
                Resolution = parse.GetValue(resolution),
                MaxDifference = parse.GetValue(maxDifference),
                Renderer = main,
                CompareWith = other,
                Limit = parse.GetValue(limit),
                Only = parse.GetValue(only)?.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            }, parse.InvocationConfiguration.Output, stderr, cancellationToken);
        });
        return command;
    }

    internal static Task<int> RunAsync(SvgEmojiPreparationOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        PrepareEmojiCommand.GuardedAsync(() => SvgEmojiDatasetPreparation.PrepareAsync(options, progress: null, cancellationToken), Flags,
            options.OutputFolder, result => Write(result, stdout), stderr);

    private static ISvgRasterizer? Rasterizer(string name, TextWriter stderr)
    {
        switch (name)
        {
            case "skia": return new SkiaSvgRasterizer();
            case "rsvg-convert": return new RsvgConvertRasterizer();
            default:
                stderr.WriteLine($"refused: unknown renderer '{name}'; use skia or rsvg-convert");
                return null;
        }
    }

    private static void Write(SvgEmojiPreparationResult report, TextWriter stdout)
    {
        var invariant = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Format(invariant, "wrote {0:N0} of {1:N0} emoji from {2} to {3} ({4}×{4} RGB on white, rendered with {5})",
            report.Kept, report.Outcomes.Count, report.Package, report.OutputFolder, report.Resolution, report.Renderer));
        stdout.WriteLine(string.Format(invariant, "found and rendered {0:N0}; median pooled difference {1:F2}; kept within {2}: {3:N0}",
            report.Rendered, report.MedianDifference ?? double.NaN, report.MaxDifference, report.Kept));
        if (report.MedianRendererDifference is { } rendererMedian)
            stdout.WriteLine(string.Format(invariant, "median difference between renderers: {0:F2}", rendererMedian));
        foreach (var decision in Enum.GetValues<SvgEmojiDecision>().Where(d => d != SvgEmojiDecision.Kept))
            if (report.Count(decision) is var count and > 0)
                stdout.WriteLine(string.Format(invariant, "  {0}: {1:N0}", decision, count));
        var excluded = report.Outcomes.Where(o => o.Decision is not (SvgEmojiDecision.Kept or SvgEmojiDecision.NotInIconSet)).ToList();
        foreach (var outcome in excluded.Take(ListedExclusions))
            stdout.WriteLine($"  {outcome.Stem} ({outcome.IconName}): {outcome.Decision}, {outcome.Detail}");
        if (excluded.Count > ListedExclusions)
            stdout.WriteLine(string.Format(invariant, "  … and {0:N0} more in {1}", excluded.Count - ListedExclusions, "faithfulness.tsv"));
    }
}
