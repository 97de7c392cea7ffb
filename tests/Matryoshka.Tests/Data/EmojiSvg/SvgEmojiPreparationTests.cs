using Matryoshka.Data.Emoji;
using Matryoshka.Data.Emoji.Svg;
using Matryoshka.ImageSharp;
using Matryoshka.Tests.Data;
using Xunit;

namespace Matryoshka.Tests.Data.EmojiSvg;

/// <summary>
/// The whole preparation on a synthetic Iconify package (built in memory from the committed SVGs plus hostile
/// entries) against a copy of the checked-in 64² mini set.
/// </summary>
public class SvgEmojiPreparationTests
{
    [Fact]
    public async Task Keeps_matching_art_excludes_changed_art_and_names_every_bad_icon()
    {
        using var folder = new TempFolder();
        var options = IconifyTarball.Options(folder, IconifyTarball.Package().WriteTo(folder));

        var report = await SvgEmojiDatasetPreparation.PrepareAsync(options);

        var byStem = report.Outcomes.ToDictionary(o => o.Stem);
        Assert.Equal(16, report.Outcomes.Count);
        Assert.Equal(["1f34e", "1f525", "2764-fe0f"], Written(options.OutputFolder));
        Assert.Equal(SvgEmojiDecision.Kept, byStem["1f34e"].Decision);
        Assert.InRange(byStem["1f34e"].Difference!.Value, 0, 2.5);
        Assert.Equal(SvgEmojiDecision.ArtChanged, byStem["1f680"].Decision);
        Assert.Equal(SvgEmojiDecision.SvgRefused, byStem["1f34c"].Decision);
        Assert.StartsWith("SVG 1f34c (broken-banana): is not well-formed XML", byStem["1f34c"].Detail);
        Assert.Equal(SvgEmojiDecision.SvgRefused, byStem["2602-fe0f"].Decision);
        Assert.Contains("has a <image> element", byStem["2602-fe0f"].Detail);
        Assert.Equal(SvgEmojiDecision.IconUnusable, byStem["2b50"].Decision);
        Assert.Equal("icon 'huge-star' has a body of 12,001 characters, over the limit of 12,000", byStem["2b50"].Detail);
        Assert.Equal(SvgEmojiDecision.IconUnusable, byStem["1f319"].Decision);
        Assert.Equal("icon 'missing-moon' is not in icons.json", byStem["1f319"].Detail);
        Assert.Equal(SvgEmojiDecision.IconUnusable, byStem["2600-fe0f"].Decision);
        Assert.Contains("alias chain", byStem["2600-fe0f"].Detail);
        Assert.Equal(SvgEmojiDecision.NotInIconSet, byStem["1f431"].Decision);
        Assert.Equal(7, report.Count(SvgEmojiDecision.NotInIconSet));
    }

    [Fact]
    public async Task Writes_captions_index_report_and_notice_for_what_it_keeps()
    {
        using var folder = new TempFolder();
        var options = IconifyTarball.Options(folder, IconifyTarball.Package().WriteTo(folder));

        await SvgEmojiDatasetPreparation.PrepareAsync(options);

        var output = options.OutputFolder;
        Assert.Equal(File.ReadAllText(Path.Combine(EmojiSvgFixtures.MiniSet, "1f34e.txt")), File.ReadAllText(Path.Combine(output, "1f34e.txt")));
        var index = File.ReadAllLines(Path.Combine(output, "index.tsv"));
        Assert.Equal(EmojiIndexFile.Header, index[0]);
        Assert.Equal(["1f34e.png", "1f525.png", "2764-fe0f.png"], index.Skip(1).Select(line => line.Split('\t')[0]));
        var report = File.ReadAllLines(Path.Combine(output, "faithfulness.tsv"));
        Assert.Equal("file\ticon\tdifference\trenderer_difference\tdecision\tdetail", report[0]);
        Assert.Equal(17, report.Length);
        Assert.Matches(@"^1f680\.png\trocket\t\d+\.\d\d\t\tArtChanged\tpooled difference", report.Single(l => l.StartsWith("1f680", StringComparison.Ordinal)));
        var notice = File.ReadAllText(Path.Combine(output, "NOTICE"));
        Assert.Contains("Apache License, Version 2.0", notice);
        Assert.Contains("@iconify-json/noto 0.0.1-test", notice);
        Assert.Contains("MIT", notice); // the reference set's NOTICE, for the captions
        using var apple = new SafeImageDecoder().Load(Path.Combine(output, "1f34e.png"));
        Assert.Equal(256, apple.Width);
    }

    [Fact]
    public async Task Same_inputs_give_the_same_bytes()
    {
        using var folder = new TempFolder();
        var tarball = IconifyTarball.Package().WriteTo(folder);
        var first = IconifyTarball.Options(folder, tarball) with { OutputFolder = folder.File("one") };
        var second = first with { OutputFolder = folder.File("two") };

        await SvgEmojiDatasetPreparation.PrepareAsync(first);
        await SvgEmojiDatasetPreparation.PrepareAsync(second);
        await SvgEmojiDatasetPreparation.PrepareAsync(second); // over its own earlier output

        foreach (var file in Directory.GetFiles(first.OutputFolder).Select(Path.GetFileName))
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.OutputFolder, file!)), File.ReadAllBytes(Path.Combine(second.OutputFolder, file!)));
        Assert.Equal(Directory.GetFiles(first.OutputFolder).Length, Directory.GetFiles(second.OutputFolder).Length);
    }

    [Fact]
    public async Task Not_a_gzip_package_is_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        var bad = folder.Write("noto.tgz", "not a tarball"u8.ToArray());

        var error = await Assert.ThrowsAsync<EmojiPackageException>(() => SvgEmojiDatasetPreparation.PrepareAsync(IconifyTarball.Options(folder, bad)));

        Assert.StartsWith($"{bad}: is not a valid gzip-compressed tar archive", error.Message);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Theory]
    [InlineData("package/icons.json", "has no package/icons.json")]
    [InlineData("package/chars.json", "has no package/chars.json")]
    public async Task A_package_without_its_icon_files_is_refused(string leftOut, string problem)
    {
        using var folder = new TempFolder();
        var tarball = new EmojiTarball();
        foreach (var (name, text) in IconifyTarball.PackageFiles().Where(f => f.Name != leftOut))
            tarball.Text(name, text);

        var error = await Assert.ThrowsAsync<EmojiPackageException>(() => SvgEmojiDatasetPreparation.PrepareAsync(IconifyTarball.Options(folder, tarball.WriteTo(folder))));

        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("{ \"icons\": ", "icons.json is not valid JSON")]
    [InlineData("[1, 2]", "icons.json has no \"icons\" object")]
    public async Task Broken_icons_json_is_refused(string iconsJson, string problem)
    {
        using var folder = new TempFolder();
        var tarball = new EmojiTarball().Text("package/icons.json", iconsJson).Text("package/chars.json", "{}");

        var error = await Assert.ThrowsAsync<EmojiPackageException>(() => SvgEmojiDatasetPreparation.PrepareAsync(IconifyTarball.Options(folder, tarball.WriteTo(folder))));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public async Task An_icons_json_over_its_limit_is_refused()
    {
        using var folder = new TempFolder();
        var options = IconifyTarball.Options(folder, IconifyTarball.Package().WriteTo(folder)) with { PackageLimits = IconifyTarball.Limits with { MaxIconsBytes = 1000 } };

        var error = await Assert.ThrowsAsync<EmojiPackageException>(() => SvgEmojiDatasetPreparation.PrepareAsync(options));

        Assert.Contains("package/icons.json is larger than 1,000 bytes", error.Message);
    }

    private static string[] Written(string folder) =>
        Directory.GetFiles(folder, "*.png").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;
}
