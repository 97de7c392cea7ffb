using Matryoshka.Data.Emoji.Svg;
using Xunit;

namespace Matryoshka.Tests.Data.EmojiSvg;

public class SvgSafetyTests
{
    private const string Open = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 128 128">""";

    [Theory]
    [InlineData(EmojiSvgFixtures.Apple)]
    [InlineData(EmojiSvgFixtures.Rocket)]
    [InlineData(EmojiSvgFixtures.Nose)]
    public void Real_emoji_svgs_pass(string name) => SvgSafety.Check(EmojiSvgFixtures.Document(name), 1 << 20);

    [Theory]
    [InlineData("<path d=\"M0 0h10\">", "is not well-formed XML")]
    [InlineData("<image href=\"file:///etc/passwd\" width=\"9\" height=\"9\"/>", "has a <image> element")]
    [InlineData("<script>alert(1)</script>", "has a <script> element")]
    [InlineData("<use href=\"other.svg#x\"/>", "references 'other.svg#x' outside the document")]
    [InlineData("<use xlink:href=\"http://example.com/a.svg#x\"/>", "references 'http://example.com/a.svg#x' outside the document")]
    [InlineData("<path fill=\"url(http://example.com/p.svg#g)\" d=\"M0 0\"/>", "attribute fill references")]
    [InlineData("<path style=\"fill: url( 'file:///x#g')\" d=\"M0 0\"/>", "attribute style references")]
    public void Malformed_or_not_self_contained_svgs_are_refused_naming_the_icon(string body, string problem)
    {
        var document = new SvgIconDocument("1f34e (red-apple)", Open + body + "</svg>", 128, 128);

        var error = Assert.Throws<SvgIconException>(() => SvgSafety.Check(document, 1 << 20));

        Assert.Contains("SVG 1f34e (red-apple): ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_dtd_with_entities_is_refused_before_any_expansion()
    {
        var text = """<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>""" + Open + "<desc>&b;</desc></svg>";

        var error = Assert.Throws<SvgIconException>(() => SvgSafety.Check(new SvgIconDocument("bomb", text, 128, 128), 1 << 20));

        Assert.Contains("is not well-formed XML", error.Message);
    }

    [Fact]
    public void A_root_other_than_svg_is_refused() =>
        Assert.Throws<SvgIconException>(() => SvgSafety.Check(new SvgIconDocument("html", "<html/>", 128, 128), 1 << 20));

    [Fact]
    public void A_document_over_the_size_limit_is_refused()
    {
        var text = Open + string.Concat(Enumerable.Repeat("<path d=\"M0 0h10v10z\"/>", 100)) + "</svg>";

        Assert.Throws<SvgIconException>(() => SvgSafety.Check(new SvgIconDocument("big", text, 128, 128), 1000));
    }
}
