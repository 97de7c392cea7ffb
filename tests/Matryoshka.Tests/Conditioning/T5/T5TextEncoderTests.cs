using Matryoshka.Conditioning.T5;
using Matryoshka.Conditioning.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Conditioning.T5;

/// <summary>
/// Prompts through ml-mdm's tokenizer and the transformers-checked tiny T5: the tie-test vocabulary (36 pieces over
/// "a", "b" and space) fits the tiny encoder's 128 embeddings, so every id is real.
/// </summary>
public sealed class T5TextEncoderTests
{
    private static T5TextEncoder Encoder(int cache = 8) =>
        new(T5Fixture.Encoder(), MlMdmTokenizer.Load(Fixtures.Tokenizer("ties.vocab")), new T5TextEncoderOptions { CacheCapacity = cache });

    [Fact]
    public void Each_prompt_is_the_encoder_output_of_its_ids_padded_with_zero_vectors_and_mask_0()
    {
        using var scope = NewDisposeScope();
        using var encoder = Encoder();
        string[] prompts = ["ab", "a b ab ba bb", ""];
        var conditioning = encoder.Encode(prompts, CPU);
        var ids = prompts.Select(p => encoder.Tokenizer.EncodeForInference(p)).ToArray();
        int longest = ids.Max(i => i.Length);
        Assert.Equal(new long[] { 3, longest, 64 }, conditioning.Embeddings.shape);
        Assert.Equal(ScalarType.Float32, conditioning.Embeddings.dtype);
        Assert.Equal(encoder.Tokenizer.Vocabulary.EosId, ids[2][^1]); // "" still has its </s>, so every row has a token
        using var t5 = T5Fixture.Encoder();
        for (int b = 0; b < prompts.Length; b++)
        {
            var alone = t5.forward(tensor(ids[b].Select(i => (long)i).ToArray()).unsqueeze(0), null)[0];
            var row = conditioning.Embeddings[b];
            Assert.True(T5Fixture.MaxAbs(alone, row.narrow(0, 0, ids[b].Length)) < 1e-5, $"prompt {b}");
            Assert.Equal(ids[b].Length, conditioning.Mask[b].sum().item<float>());
            if (ids[b].Length < longest)
            {
                Assert.Equal(0f, row.narrow(0, ids[b].Length, longest - ids[b].Length).abs().max().item<float>());
                Assert.Equal(0f, conditioning.Mask[b].narrow(0, ids[b].Length, longest - ids[b].Length).sum().item<float>());
            }
        }
    }

    [Fact]
    public void Cached_prompts_come_back_bit_identical_and_a_repeated_prompt_is_encoded_once()
    {
        using var scope = NewDisposeScope();
        using var encoder = Encoder();
        var first = encoder.Encode(["ab ab", "ab ab", "b"], CPU);
        Assert.Equal(2, encoder.CachedPromptCount);
        Assert.True(first.Embeddings[0].eq(first.Embeddings[1]).all().item<bool>());
        var again = encoder.Encode(["b", "ab ab"], CPU);
        Assert.True(again.Embeddings[1].eq(first.Embeddings[0]).all().item<bool>());
        Assert.True(again.Embeddings[0].eq(first.Embeddings[2].narrow(0, 0, again.Embeddings.shape[1])).all().item<bool>());
    }

    [Fact]
    public void Bad_use_is_refused()
    {
        using var encoder = Encoder(cache: 0);
        Assert.Throws<ArgumentException>(() => encoder.Encode([], CPU));
        Assert.Throws<ArgumentException>(() => encoder.Encode([null!], CPU));
        Assert.Contains("at most 100,000", Assert.Throws<ArgumentException>(() => encoder.Encode([new string('a', T5TextEncoder.MaxPromptCharacters + 1)], CPU)).Message);
        Assert.Equal(1, encoder.Encode([new string('a', 1000)], CPU).Embeddings.shape[0]); // long but accepted: cut to 128 tokens
        Assert.Throws<ArgumentOutOfRangeException>(() => new T5TextEncoderOptions { MaxTokenLength = 0 }.Validate());
        // ml-mdm's full vocabulary has ids the tiny encoder (128 embeddings) cannot embed.
        using var t5 = T5Fixture.Encoder();
        Assert.Throws<ArgumentException>(() => new T5TextEncoder(t5, MlMdmTokenizer.Load(Fixtures.Tokenizer("t5.vocab")), ownsEncoder: false));
    }
}
