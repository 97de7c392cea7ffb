using Matryoshka.Data.Emoji;
using Xunit;

namespace Matryoshka.Tests.Data;

public class EmojiCaptionsTests
{
    [Fact]
    public void Red_apple_gets_the_five_documented_captions()
    {
        Assert.Equal(
            ["a red apple", "red apple", "apple", "a red apple emoji", "red apple, food fruit"],
            Captions("RED APPLE", ["apple"], "Food & Drink", "food-fruit"));
    }

    [Fact]
    public void Plural_names_take_no_article()
    {
        Assert.Equal(["grapes", "grapes emoji", "grapes, food fruit"], Captions("GRAPES", ["grapes"], "Food & Drink", "food-fruit"));
        Assert.Equal("men with bunny ears", Captions("MEN WITH BUNNY EARS", [], "People & Body", "person-activity")[0]);
        Assert.Equal("two hearts", Captions("TWO HEARTS", [], "Smileys & Emotion", "heart")[0]);
        Assert.Equal("a smiling face with smiling eyes", Captions("SMILING FACE WITH SMILING EYES", [], "Smileys & Emotion", "face-smiling")[0]);
        Assert.Equal("a bus", Captions("BUS", [], "Travel & Places", "transport-ground")[0]);
        Assert.Equal("a person raising both hands in celebration", Captions("PERSON RAISING BOTH HANDS IN CELEBRATION", [], "People & Body", "hands")[0]);
    }

    [Theory]
    [InlineData("UMBRELLA", "an umbrella")]
    [InlineData("UNICORN FACE", "a unicorn face")]
    [InlineData("EUROPEAN CASTLE", "a european castle")]
    [InlineData("HOURGLASS", "an hourglass")]
    [InlineData("HOUSE", "a house")]
    public void The_article_follows_the_sound(string name, string expected)
    {
        Assert.Equal(expected, Captions(name, [], "Objects", "household")[0]);
    }

    [Fact]
    public void Glyph_style_words_go_unless_a_short_name_keeps_them()
    {
        Assert.Equal(["a heart", "heart", "a heart emoji", "heart, smileys and emotion"],
            Captions("HEAVY BLACK HEART", ["heart"], "Smileys & Emotion", "heart"));
        Assert.Equal("a medium star", Captions("WHITE MEDIUM STAR", ["star"], "Travel & Places", "sky & weather")[0]);
        Assert.Equal("a black cat", Captions("BLACK CAT", ["black_cat"], "Animals & Nature", "animal-mammal")[0]);
    }

    [Fact]
    public void Noisy_short_names_are_dropped_and_underscores_become_spaces()
    {
        Assert.Equal(["a thumbs up sign", "thumbs up sign", "thumbsup", "a thumbs up sign emoji", "thumbs up sign, hand fingers closed"],
            Captions("THUMBS UP SIGN", ["+1", "thumbsup"], "People & Body", "hand-fingers-closed"));
        Assert.Equal("point left", Captions("WHITE LEFT POINTING BACKHAND INDEX", ["point_left"], "People & Body", "hand-single-finger")[2]);
        Assert.DoesNotContain("clock9", Captions("CLOCK FACE NINE OCLOCK", ["clock9"], "Travel & Places", "time"));
    }

    [Fact]
    public void Country_flags_also_read_as_the_flag_of_a_place()
    {
        Assert.Equal(
            ["a brazil flag", "brazil flag", "a brazil flag emoji", "brazil flag, country flag", "the flag of brazil"],
            Captions("Brazil Flag", ["flag-br"], "Flags", "country-flag"));
        Assert.Equal("the flag of antigua and barbuda", Captions("Antigua & Barbuda Flag", ["flag-ag"], "Flags", "country-flag")[^1]);
    }

    [Fact]
    public void The_category_replaces_a_subcategory_that_adds_nothing()
    {
        Assert.Equal("cat face, animals and nature", Captions("CAT FACE", ["cat"], "Animals & Nature", "cat-face")[^1]);
        Assert.Equal("tent, place", Captions("TENT", ["tent"], "Travel & Places", "place-other")[^1]);
    }

    [Fact]
    public void Colons_and_control_characters_never_break_a_caption_over_lines()
    {
        var captions = Captions("MAN: RED HAIR\nINJECTED | LINE", ["red_haired_man"], "People & Body", "person");

        Assert.Equal("a man, red hair injected line", captions[0]);
        Assert.All(captions, caption => Assert.DoesNotContain('\n', caption));
    }

    private static IReadOnlyList<string> Captions(string name, string[] shortNames, string category, string subcategory) =>
        EmojiCaptions.For(new EmojiRecord("1f000", name, shortNames, category, subcategory, "1f000.png", true));
}
