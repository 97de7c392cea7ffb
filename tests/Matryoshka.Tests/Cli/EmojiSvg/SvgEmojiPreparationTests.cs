using System.Text.Json;
using Matryoshka.Cli.Commands;
using Matryoshka.Cli.Emoji;
using Matryoshka.Cli.EmojiSvg;
using Matryoshka.ImageSharp;
using Matryoshka.Tests.Data;
using Xunit;

namespace Matryoshka.Tests.Cli.EmojiSvg;

/// <summary>
/// The whole preparation on a synthetic Iconify package (built in memory from the committed SVGs plus hostile
/// entries) against a copy of the checked-in 64² mini set.
/// </summary>
public class SvgEmojiPreparationTests
{
    /// <summary>Over the rocket's 10,124 characters is fine; the huge star is over.</summary>
    private static readonly IconifyLimits Limits = new() { MaxIconBodyChars = 12_000 };

    [Fact]
    public void Keeps_matching_art_excludes_changed_art_and_names_every_bad_icon()
    {
        using var folder = new TempFolder();
        var options = Options(folder, Package().WriteTo(folder));

        var report = SvgEmojiPreparation.Run(options);

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
    public void Writes_captions_index_report_and_notice_for_what_it_keeps()
    {
        using var folder = new TempFolder();
        var options = Options(folder, Package().WriteTo(folder));

        SvgEmojiPreparation.Run(options);

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
    public void Same_inputs_give_the_same_bytes()
    {
        using var folder = new TempFolder();
        var tarball = Package().WriteTo(folder);
        var first = Options(folder, tarball) with { OutputFolder = folder.File("one") };
        var second = first with { OutputFolder = folder.File("two") };

        SvgEmojiPreparation.Run(first);
        SvgEmojiPreparation.Run(second);
        SvgEmojiPreparation.Run(second); // over its own earlier output

        foreach (var file in Directory.GetFiles(first.OutputFolder).Select(Path.GetFileName))
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.OutputFolder, file!)), File.ReadAllBytes(Path.Combine(second.OutputFolder, file!)));
        Assert.Equal(Directory.GetFiles(first.OutputFolder).Length, Directory.GetFiles(second.OutputFolder).Length);
    }

    [Fact]
    public void Not_a_gzip_package_is_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        var bad = folder.Write("noto.tgz", "not a tarball"u8.ToArray());

        var error = Assert.Throws<EmojiPackageException>(() => SvgEmojiPreparation.Run(Options(folder, bad)));

        Assert.StartsWith($"{bad}: is not a valid gzip-compressed tar archive", error.Message);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Theory]
    [InlineData("package/icons.json", "has no package/icons.json")]
    [InlineData("package/chars.json", "has no package/chars.json")]
    public void A_package_without_its_icon_files_is_refused(string leftOut, string problem)
    {
        using var folder = new TempFolder();
        var tarball = new EmojiTarball();
        foreach (var (name, text) in PackageFiles().Where(f => f.Name != leftOut))
            tarball.Text(name, text);

        var error = Assert.Throws<EmojiPackageException>(() => SvgEmojiPreparation.Run(Options(folder, tarball.WriteTo(folder))));

        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("{ \"icons\": ", "icons.json is not valid JSON")]
    [InlineData("[1, 2]", "icons.json has no \"icons\" object")]
    public void Broken_icons_json_is_refused(string iconsJson, string problem)
    {
        using var folder = new TempFolder();
        var tarball = new EmojiTarball().Text("package/icons.json", iconsJson).Text("package/chars.json", "{}");

        var error = Assert.Throws<EmojiPackageException>(() => SvgEmojiPreparation.Run(Options(folder, tarball.WriteTo(folder))));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void An_icons_json_over_its_limit_is_refused()
    {
        using var folder = new TempFolder();
        var options = Options(folder, Package().WriteTo(folder)) with { PackageLimits = Limits with { MaxIconsBytes = 1000 } };

        var error = Assert.Throws<EmojiPackageException>(() => SvgEmojiPreparation.Run(options));

        Assert.Contains("package/icons.json is larger than 1,000 bytes", error.Message);
    }

    [Fact]
    public void The_command_exits_with_2_on_a_bad_package_and_prints_a_summary_otherwise()
    {
        using var folder = new TempFolder();
        var good = Options(folder, Package().WriteTo(folder));
        var bad = good with { PackagePath = folder.File("missing.tgz") };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(2, PrepareEmojiSvgCommand.Run(bad, stdout, stderr));
        Assert.Equal($"refused: {bad.PackagePath}: file not found", stderr.ToString().Trim());
        Assert.Equal(0, PrepareEmojiSvgCommand.Run(good, stdout, stderr));
        Assert.Contains("wrote 3 of 16 emoji from @iconify-json/noto 0.0.1-test", stdout.ToString());
        Assert.Contains("1f34c (broken-banana): SvgRefused, SVG 1f34c (broken-banana): is not well-formed XML", stdout.ToString());
    }

    private static SvgEmojiPreparationOptions Options(TempFolder folder, string tarball) => new()
    {
        PackagePath = tarball,
        ReferenceFolder = EmojiSvgFixtures.MiniSet,
        OutputFolder = folder.File("out"),
        PackageLimits = Limits,
    };

    private static string[] Written(string folder) =>
        Directory.GetFiles(folder, "*.png").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;

    private static EmojiTarball Package()
    {
        var tarball = new EmojiTarball();
        foreach (var (name, text) in PackageFiles())
            tarball.Text(name, text);
        return tarball;
    }

    /// <summary>
    /// Four real icons (apple, heart, fire, rocket) and hostile entries on other mini-set emoji: a malformed body
    /// (banana), an external image (umbrella), a body over the limit (star), a name icons.json lacks (moon), an
    /// alias loop (sun). Code points are spelled as chars.json spells them, without FE0F.
    /// </summary>
    private static IEnumerable<(string Name, string Text)> PackageFiles()
    {
        var icons = new Dictionary<string, object>
        {
            ["red-apple"] = new { body = EmojiSvgFixtures.Body(EmojiSvgFixtures.Apple) },
            ["red-heart"] = new { body = EmojiSvgFixtures.Body(EmojiSvgFixtures.Heart) },
            ["fire"] = new { body = EmojiSvgFixtures.Body(EmojiSvgFixtures.Fire) },
            ["rocket"] = new { body = EmojiSvgFixtures.Body(EmojiSvgFixtures.Rocket) },
            ["broken-banana"] = new { body = "<path d=\"M0 0h99\"><g>" },
            ["umbrella"] = new { body = "<image href=\"file:///etc/passwd\" width=\"128\" height=\"128\"/>" },
            ["huge-star"] = new { body = "<g>" + new string(' ', 12_001 - 7) + "</g>" },
        };
        var aliases = new Dictionary<string, object> { ["sun-a"] = new { parent = "sun-b" }, ["sun-b"] = new { parent = "sun-a" } };
        var chars = new Dictionary<string, string>
        {
            ["1f34e"] = "red-apple", ["2764"] = "red-heart", ["1f525"] = "fire", ["1f680"] = "rocket", ["1f34c"] = "broken-banana",
            ["2602"] = "umbrella", ["2b50"] = "huge-star", ["1f319"] = "missing-moon", ["2600"] = "sun-a",
        };
        yield return ("package/package.json", """{ "name": "@iconify-json/noto", "version": "0.0.1-test" }""");
        yield return ("package/icons.json", JsonSerializer.Serialize(new { prefix = "noto", icons, aliases, width = 128, height = 128 }));
        yield return ("package/chars.json", JsonSerializer.Serialize(chars));
    }
}
