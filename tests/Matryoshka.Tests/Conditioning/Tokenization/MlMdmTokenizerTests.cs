using System.Text;
using Matryoshka.Conditioning.Tokenization;
using Xunit;

namespace Matryoshka.Tests.Conditioning.Tokenization;

public class MlMdmTokenizerTests
{
    private static MlMdmTokenizer Tokenizer => TokenizerCaptions.Tokenizer;

    [Fact]
    public void Empty_input_gives_no_ids()
    {
        Assert.Empty(Tokenizer.Tokenize(""));
        Assert.Empty(Tokenizer.Tokenize(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void String_and_utf8_bytes_tokenize_alike()
    {
        const string caption = " café crème 🐶 </s> done";

        Assert.Equal(Tokenizer.Tokenize(Encoding.UTF8.GetBytes(caption)), Tokenizer.Tokenize(caption));
    }

    [Fact]
    public void Inference_prepends_a_space_and_appends_eos()
    {
        Assert.Equal([.. Tokenizer.Tokenize(" a photo of a cat"), 1], Tokenizer.EncodeForInference("a photo of a cat"));
    }

    [Fact]
    public void Training_adds_a_space_on_both_sides_and_appends_eos()
    {
        Assert.Equal([.. Tokenizer.Tokenize(" a photo of a cat "), 1], Tokenizer.EncodeForTraining("a photo of a cat"));
    }

    [Theory]
    [InlineData("a photo of a cat", 7, "a photo")]
    [InlineData("🐶🐶ab", 3, "🐶🐶a")] // a code point, not a UTF-16 unit, is one character, as in Python
    [InlineData("e\u0301 combining", 2, "e\u0301")] // e + combining acute: two code points
    [InlineData("short", 512, "short")]
    [InlineData("anything", 0, "")]
    public void Max_caption_length_keeps_the_first_code_points(string caption, int maxLength, string kept)
    {
        Assert.Equal(Tokenizer.EncodeForInference(kept), Tokenizer.EncodeForInference(caption, maxLength));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-5)]
    public void Negative_max_caption_length_keeps_everything(int maxLength)
    {
        Assert.Equal(Tokenizer.EncodeForInference("a photo of a cat"), Tokenizer.EncodeForInference("a photo of a cat", maxLength));
    }

    [Fact]
    public void Unknown_byte_also_drops_the_partial_piece_it_interrupts()
    {
        // '<' starts "<pad>", "<unk>", ... but no piece starts with "<a": at 'a' every hypothesis ends, the search
        // restarts after the last boundary (the space) and 'a' is skipped, so '<' goes with it; 'n' starts afresh.
        var pieces = Tokenizer.Tokenize(" <angle> x").Select(Tokenizer.Vocabulary.GetPiece);

        Assert.Equal(["▁", "n", "gle", ">", "▁", "x"], pieces);
    }

    [Fact]
    public void Concurrent_calls_give_the_same_ids()
    {
        var cases = TokenizerCaptions.Cases;
        var expected = cases.Select(c => c.InferenceIds).ToArray();
        var results = new int[cases.Count * 8][];

        Parallel.For(0, results.Length, i => results[i] = Tokenizer.EncodeForInference(cases[i % cases.Count].Caption));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % cases.Count], results[i]);
        }
    }

    [Fact]
    public void Batch_uses_the_vocabulary_pad_id()
    {
        var batch = Tokenizer.CreateBatch([Tokenizer.EncodeForInference("x"), Tokenizer.EncodeForInference("a photo of a cat")]);

        Assert.Equal(8, batch.Length);
        Assert.Equal(0, batch.Ids[0, 7]);
        Assert.Equal(0, batch.Mask[0, 7]);
        Assert.Equal(1, batch.Ids[1, 7]);
    }
}
