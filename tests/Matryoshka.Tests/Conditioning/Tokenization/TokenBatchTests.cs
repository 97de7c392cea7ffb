using Matryoshka.Conditioning.Tokenization;
using Xunit;

namespace Matryoshka.Tests.Conditioning.Tokenization;

public class TokenBatchTests
{
    [Fact]
    public void Shorter_sequences_are_padded_to_the_longest()
    {
        var batch = TokenBatch.Create([[5, 6, 1], [7, 1]], padId: 0);

        Assert.Equal(2, batch.Count);
        Assert.Equal(3, batch.Length);
        Assert.Equal(new long[,] { { 5, 6, 1 }, { 7, 1, 0 } }, batch.Ids);
        Assert.Equal(new long[,] { { 1, 1, 1 }, { 1, 1, 0 } }, batch.Mask);
    }

    [Fact]
    public void Longer_than_max_token_length_is_cut_to_its_first_ids_losing_eos()
    {
        var longSequence = Enumerable.Range(10, 129).Append(1).ToArray(); // 130 ids, </s> last
        var batch = TokenBatch.Create([longSequence, [4, 1]], padId: 0);

        Assert.Equal(128, batch.Length);
        Assert.Equal(longSequence[..128].Select(id => (long)id), Row(batch.Ids, 0));
        Assert.DoesNotContain(1L, Row(batch.Ids, 0));
        Assert.Equal(new long[] { 4, 1 }.Concat(Enumerable.Repeat(0L, 126)), Row(batch.Ids, 1));
        Assert.Equal(2, Row(batch.Mask, 1).Sum());
    }

    [Fact]
    public void Exactly_max_token_length_is_kept_whole()
    {
        var sequence = Enumerable.Range(2, 127).Append(1).ToArray();

        var batch = TokenBatch.Create([sequence], padId: 0);

        Assert.Equal(sequence.Select(id => (long)id), Row(batch.Ids, 0));
        Assert.All(Row(batch.Mask, 0), m => Assert.Equal(1, m));
    }

    [Fact]
    public void Custom_max_token_length_and_pad_id()
    {
        var batch = TokenBatch.Create([[5, 6, 1], [9]], padId: 9, maxTokenLength: 2);

        Assert.Equal(new long[,] { { 5, 6 }, { 9, 9 } }, batch.Ids);
        Assert.Equal(new long[,] { { 1, 1 }, { 0, 0 } }, batch.Mask);
    }

    [Fact]
    public void Mask_is_zero_wherever_the_id_is_pad_as_in_ml_mdm()
    {
        var batch = TokenBatch.Create([[5, 0, 1]], padId: 0);

        Assert.Equal(new long[,] { { 1, 0, 1 } }, batch.Mask);
    }

    [Fact]
    public void Empty_batch_and_empty_sequences()
    {
        Assert.Equal(0, TokenBatch.Create([], padId: 0).Count);
        var batch = TokenBatch.Create([[], []], padId: 0);
        Assert.Equal(2, batch.Count);
        Assert.Equal(0, batch.Length);
    }

    [Fact]
    public void Fixture_long_caption_fits_exactly()
    {
        var longCase = TokenizerCaptions.Cases.Single(c => c.Caption.StartsWith("A highly detailed, ultra-wide", StringComparison.Ordinal));
        var tokenizer = TokenizerCaptions.Tokenizer;

        var batch = tokenizer.CreateBatch([tokenizer.EncodeForInference(longCase.Caption), tokenizer.EncodeForTraining(longCase.Caption)]);

        Assert.Equal(128, batch.Length);
        Assert.Equal(1, batch.Ids[0, 126]);
        Assert.Equal(0, batch.Ids[0, 127]);
        Assert.Equal(1, batch.Ids[1, 127]);
    }

    private static long[] Row(long[,] values, int row) =>
        [.. Enumerable.Range(0, values.GetLength(1)).Select(column => values[row, column])];
}
