using Matryoshka.Conditioning.Tokenization;
using Xunit;

namespace Matryoshka.Tests.Conditioning.Tokenization;

public class T5VocabularyTests
{
    private static T5Vocabulary Vocabulary => TokenizerCaptions.Tokenizer.Vocabulary;

    [Fact]
    public void Ml_mdm_vocabulary_has_32100_pieces_with_pad_and_eos_first()
    {
        Assert.Equal(32_100, Vocabulary.Count);
        Assert.Equal(0, Vocabulary.PadId);
        Assert.Equal(1, Vocabulary.EosId);
    }

    [Theory]
    [InlineData("<pad>", 0)]
    [InlineData("</s>", 1)]
    [InlineData("<unk>", 2)]
    [InlineData("▁", 3)]
    [InlineData("X", 4)]
    [InlineData("<extra_id_0>", 32_099)]
    public void Pieces_have_their_line_numbers_as_ids(string piece, int id)
    {
        Assert.True(Vocabulary.TryGetId(piece, out var found));
        Assert.Equal(id, found);
        Assert.Equal(piece, Vocabulary.GetPiece(id));
    }

    [Fact]
    public void Space_marker_and_plain_space_find_the_same_piece()
    {
        Assert.True(Vocabulary.TryGetId("▁the", out var marked));
        Assert.True(Vocabulary.TryGetId(" the", out var spaced));
        Assert.Equal(marked, spaced);
        Assert.Equal("▁the", Vocabulary.GetPiece(marked));
        Assert.False(Vocabulary.TryGetId("no such piece", out _));
    }

    [Fact]
    public void Scores_are_negated_log_probabilities()
    {
        Assert.Equal(2.01229, Vocabulary.GetScore(3));
        Assert.Equal(2.48648, Vocabulary.GetScore(4));
        Assert.Equal(0.0, Vocabulary.GetScore(1));
        Assert.All(Enumerable.Range(0, Vocabulary.Count), id => Assert.True(Vocabulary.GetScore(id) >= 0));
    }

    [Fact]
    public void Stream_and_path_load_the_same_vocabulary()
    {
        using var stream = File.OpenRead(Fixtures.Tokenizer("t5.vocab"));
        var fromStream = T5Vocabulary.Load(stream, "t5.vocab");

        Assert.Equal(Vocabulary.Count, fromStream.Count);
        Assert.Equal("t5.vocab", fromStream.Source);
        foreach (var id in new[] { 0, 3, 1000, 32_099 })
        {
            Assert.Equal(Vocabulary.GetPiece(id), fromStream.GetPiece(id));
            Assert.Equal(Vocabulary.GetScore(id), fromStream.GetScore(id));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(32_100)]
    public void Ids_outside_the_vocabulary_are_rejected(int id)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.GetPiece(id));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.GetScore(id));
    }
}
