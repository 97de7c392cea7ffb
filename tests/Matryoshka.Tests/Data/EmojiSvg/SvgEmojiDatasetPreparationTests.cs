using Matryoshka.Data.Emoji;
using Matryoshka.Data.Emoji.Svg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Data.EmojiSvg;

/// <summary>The library entry point called from C#: the committed Noto SVGs against the checked-in 64² mini set.</summary>
public class SvgEmojiDatasetPreparationTests
{
    private static readonly Rgb24 White = new(255, 255, 255);

    [Fact]
    public async Task The_result_lists_kept_and_excluded_emoji_and_kept_images_are_256_square_on_white()
    {
        using var folder = new TempFolder();
        var options = IconifyTarball.Options(folder, IconifyTarball.Package().WriteTo(folder));
        var progress = new EmojiProgressRecorder();

        var result = await SvgEmojiDatasetPreparation.PrepareAsync(options, progress);

        Assert.Equal(["1f34e", "1f525", "2764-fe0f"], result.KeptStems);
        Assert.Equal(13, result.Excluded.Count);
        Assert.DoesNotContain(result.Excluded, o => result.KeptStems.Contains(o.Stem));
        Assert.Equal((options.OutputFolder, "skia", 256, 5.0), (result.OutputFolder, result.Renderer, result.Resolution, result.MaxDifference));
        Assert.Equal(Enumerable.Range(1, 16), progress.Reports.Select(p => p.Considered));
        Assert.All(progress.Reports, p => Assert.Equal(16, p.Total));
        foreach (var stem in result.KeptStems)
        {
            using var image = Image.Load<Rgb24>(Path.Combine(options.OutputFolder, stem + ".png"));
            Assert.Equal((256, 256), (image.Width, image.Height));
            Assert.Equal([White, White, White, White], new[] { image[0, 0], image[255, 0], image[0, 255], image[255, 255] });
            int coloured = 0;
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                    foreach (var pixel in rows.GetRowSpan(y))
                        if (pixel != White) coloured++;
            });
            Assert.InRange(coloured, 256 * 256 / 5, 256 * 256 * 19 / 20);
        }
    }

    [Fact]
    public async Task A_plugged_in_rasterizer_is_used_for_every_safe_icon_and_named_in_the_result()
    {
        using var folder = new TempFolder();
        var blank = new BlankRasterizer();
        var options = IconifyTarball.Options(folder, IconifyTarball.Package().WriteTo(folder)) with { Renderer = blank };

        var result = await SvgEmojiDatasetPreparation.PrepareAsync(options);

        // Apple, heart, fire and rocket pass the safety check; the malformed banana and the umbrella never reach it.
        Assert.Equal(4, blank.Calls);
        Assert.Equal(4, result.Rendered);
        Assert.Equal("blank", result.Renderer);
        Assert.Empty(result.KeptStems);
        Assert.Equal(4, result.Count(SvgEmojiDecision.ArtChanged));
        Assert.Contains("rendered with blank to 256 × 256", File.ReadAllText(Path.Combine(options.OutputFolder, "NOTICE")));
        Assert.Empty(Directory.GetFiles(options.OutputFolder, "*.png"));
    }

    [Fact]
    public async Task The_malformed_svg_is_excluded_with_the_typed_error_naming_it()
    {
        using var folder = new TempFolder();
        var options = IconifyTarball.Options(folder, IconifyTarball.Package().WriteTo(folder));

        var result = await SvgEmojiDatasetPreparation.PrepareAsync(options);

        var banana = Assert.Single(result.Excluded, o => o.Stem == "1f34c");
        Assert.Equal((SvgEmojiDecision.SvgRefused, "broken-banana"), (banana.Decision, banana.IconName));
        Assert.StartsWith("SVG 1f34c (broken-banana): is not well-formed XML", banana.Detail);
        Assert.Null(banana.Difference);
    }

    [Fact]
    public async Task Output_into_the_reference_folder_and_an_impossible_threshold_are_refused_naming_the_option()
    {
        using var folder = new TempFolder();
        var options = IconifyTarball.Options(folder, folder.File("never-read.tgz"));

        var intoReference = await Assert.ThrowsAsync<EmojiPreparationException>(() =>
            SvgEmojiDatasetPreparation.PrepareAsync(options with { OutputFolder = EmojiSvgFixtures.MiniSet + "/" }));
        var notANumber = await Assert.ThrowsAsync<EmojiPreparationException>(() =>
            SvgEmojiDatasetPreparation.PrepareAsync(options with { MaxDifference = double.NaN }));
        var noIndex = await Assert.ThrowsAsync<EmojiPreparationException>(() =>
            SvgEmojiDatasetPreparation.PrepareAsync(options with { ReferenceFolder = folder.Path }));

        Assert.Equal((nameof(SvgEmojiPreparationOptions.OutputFolder), "OutputFolder must not be the reference folder"),
            (intoReference.Option, intoReference.Message));
        Assert.Equal((nameof(SvgEmojiPreparationOptions.MaxDifference), "MaxDifference must be between 0 and 255; got NaN"),
            (notANumber.Option, notANumber.Message));
        Assert.Equal(nameof(SvgEmojiPreparationOptions.ReferenceFolder), noIndex.Option);
        Assert.StartsWith($"ReferenceFolder {folder.Path} has no index.tsv", noIndex.Message);
        Assert.False(Directory.Exists(options.OutputFolder));
    }

    /// <summary>A user's own rasterizer: draws nothing, so every icon comes out white and far from its reference.</summary>
    private sealed class BlankRasterizer : ISvgRasterizer
    {
        public int Calls { get; private set; }

        public string Name => "blank";

        public Image<Rgba32> Rasterize(SvgIconDocument document, int side)
        {
            Calls++;
            return new Image<Rgba32>(side, side);
        }
    }
}
