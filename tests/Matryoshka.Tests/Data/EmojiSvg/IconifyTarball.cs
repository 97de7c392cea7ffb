using System.Text.Json;
using Matryoshka.Data.Emoji.Svg;

namespace Matryoshka.Tests.Data.EmojiSvg;

/// <summary>A synthetic Iconify package built in memory from the committed SVGs plus hostile entries, and options that prepare it against the checked-in 64² mini set.</summary>
internal static class IconifyTarball
{
    /// <summary>Over the rocket's 10,124 characters is fine; the huge star is over.</summary>
    public static readonly IconifyLimits Limits = new() { MaxIconBodyChars = 12_000 };

    public static SvgEmojiPreparationOptions Options(TempFolder folder, string tarball) => new()
    {
        PackagePath = tarball,
        ReferenceFolder = EmojiSvgFixtures.MiniSet,
        OutputFolder = folder.File("out"),
        PackageLimits = Limits,
    };

    public static EmojiTarball Package()
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
    public static IEnumerable<(string Name, string Text)> PackageFiles()
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
