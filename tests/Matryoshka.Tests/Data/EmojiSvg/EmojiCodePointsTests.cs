using Matryoshka.Data.Emoji.Svg;
using Xunit;

namespace Matryoshka.Tests.Data.EmojiSvg;

public class EmojiCodePointsTests
{
    [Theory]
    [InlineData("1f34e", "1f34e")]
    [InlineData("2764-fe0f", "2764")]                          // emoji-datasource's FE0F vs chars.json without
    [InlineData("0023-fe0f-20e3", "0023-20e3")]                // keycap
    [InlineData("23-20E3", "0023-20e3")]                       // short and upper-case spellings
    [InlineData("1f3f3-fe0f-200d-1f308", "1f3f3-200d-1f308")]  // ZWJ sequence: the joiner stays
    [InlineData("1f44d-1f3fd", "1f44d-1f3fd")]                 // skin tone stays: a different picture
    [InlineData("1f441-fe0f-200d-1f5e8-fe0f", "1f441-200d-1f5e8")]
    [InlineData("263a-fe0e", "263a")]
    public void Keys_ignore_only_variation_selectors(string sequence, string key) =>
        Assert.Equal(key, EmojiCodePoints.Key(sequence));

    [Theory]
    [InlineData("")]
    [InlineData("fe0f")]
    [InlineData("zz")]
    [InlineData("1f34e--1f34c")]
    [InlineData("110000")]
    [InlineData("-1")]
    [InlineData("1234567")]
    public void Invalid_or_empty_sequences_have_no_key(string sequence) =>
        Assert.Null(EmojiCodePoints.Key(sequence));
}
