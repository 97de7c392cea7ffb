using Matryoshka.Text.MiniLM;
using Matryoshka.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Text;

public class MiniLMTextEncoderTests(MiniLMFixture fixture) : IClassFixture<MiniLMFixture>
{
    private MiniLMTextEncoder Encoder => fixture.Encoder;

    private static double Cosine(Tensor pooled, int a, int b) => (pooled[a] * pooled[b]).sum().item<float>();

    [Fact]
    public void Token_embeddings_are_padded_to_the_longest_prompt_with_zero_vectors_and_mask_zero()
    {
        using var scope = NewDisposeScope();
        var text = Encoder.Encode(new[] { "a red apple", "a photo of a green apple on a wooden table", "" }, CPU);
        // [CLS] a photo of a green apple on a wooden table [SEP] = 12 tokens; "a red apple" 5; "" 2.
        Assert.Equal(new long[] { 3, 12, 384 }, text.Embeddings.shape);
        Assert.Equal(new long[] { 3, 12 }, text.Mask.shape);
        Assert.Equal(ScalarType.Float32, text.Embeddings.dtype);
        Assert.Equal(ScalarType.Float32, text.Mask.dtype);
        Assert.Equal(DeviceType.CPU, text.Embeddings.device_type);
        TensorAssert.Equal(new long[] { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 }, text.Mask[0], "mask of 'a red apple'");
        TensorAssert.Equal(Enumerable.Repeat(1L, 12).ToArray(), text.Mask[1], "mask of the longest prompt");
        TensorAssert.Equal(new long[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, text.Mask[2], "mask of the empty prompt");
        Assert.Equal(0f, text.Embeddings[0, 5..].abs().max().item<float>());
        Assert.Equal(0f, text.Embeddings[2, 2..].abs().max().item<float>());
        // Real tokens are not zero: every real row has a sizeable norm.
        Assert.True(text.Embeddings[0, ..5].norm(1).min().item<float>() > 1f);
    }

    [Fact]
    public void Sentence_embedding_of_hello_world_matches_sentence_transformers()
    {
        // First components of all-MiniLM-L6-v2's sentence embedding of "Hello world" as published from
        // sentence-transformers runs (e.g. Simon Willison's llm-sentence-transformers example output, and the
        // expected vector in qdrant/fastembed's tests, which agree to 1e-6).
        float[] published = { -0.03447725f, 0.03102325f, 0.00673496f, 0.02610892f, -0.03936201f };
        using var scope = NewDisposeScope();
        var pooled = Encoder.EncodePooled(new[] { "Hello world" }, CPU);
        Assert.Equal(new long[] { 1, 384 }, pooled.shape);
        var first = pooled[0, ..5].data<float>().ToArray();
        for (int i = 0; i < published.Length; i++)
            Assert.True(Math.Abs(first[i] - published[i]) < 1e-4, $"component {i}: {first[i]} vs published {published[i]}");
    }

    [Fact]
    public void Pooled_embedding_is_the_normalised_masked_mean_of_the_token_embeddings()
    {
        string[] prompts = { "a red apple", "an astronaut riding a horse on the moon, oil painting", "" };
        using var scope = NewDisposeScope();
        var text = Encoder.Encode(prompts, CPU);
        var pooled = Encoder.EncodePooled(prompts, CPU);
        var mask = text.Mask.unsqueeze(-1);
        var mean = (text.Embeddings * mask).sum(1) / mask.sum(1);
        var expected = mean / mean.norm(1, keepdim: true);
        TensorAssert.Close(expected, pooled, 1e-6, "pooled vs masked mean");
        TensorAssert.Close(ones(3), pooled.norm(1), 1e-6, "norms");
    }

    [Fact]
    public void Related_prompts_are_closer_than_unrelated_ones()
    {
        string[] prompts =
        {
            "a red apple", "a green apple", "a pickup truck",
            "a photo of a cat", "a picture of a kitten", "a bowl of soup",
            "a smiling face", "a happy face emoji", "a mountain at night",
        };
        using var scope = NewDisposeScope();
        var pooled = Encoder.EncodePooled(prompts, CPU);
        Assert.True(Cosine(pooled, 0, 1) > Cosine(pooled, 0, 2), $"apples {Cosine(pooled, 0, 1):F3} vs truck {Cosine(pooled, 0, 2):F3}");
        Assert.True(Cosine(pooled, 3, 4) > Cosine(pooled, 3, 5), $"cat/kitten {Cosine(pooled, 3, 4):F3} vs soup {Cosine(pooled, 3, 5):F3}");
        Assert.True(Cosine(pooled, 6, 7) > Cosine(pooled, 6, 8), $"faces {Cosine(pooled, 6, 7):F3} vs mountain {Cosine(pooled, 6, 8):F3}");
        Assert.True(Cosine(pooled, 3, 4) > 0.7, $"cat/kitten only {Cosine(pooled, 3, 4):F3}");
    }

    [Fact]
    public void A_prompt_encodes_the_same_alone_and_in_any_batch()
    {
        using var scope = NewDisposeScope();
        using var fresh = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = 0 });
        var alone = fresh.Encode(new[] { "a red apple" }, CPU).Embeddings;
        var again = fresh.Encode(new[] { "a red apple" }, CPU).Embeddings;
        var batched = fresh.Encode(new[] { "a long prompt about a pickup truck on a dusty road at dawn", "a red apple" }, CPU).Embeddings;
        Assert.True(alone.eq(again).all().item<bool>(), "two runs differ");
        TensorAssert.Close(alone[0], batched[1, ..5], 1e-5, "alone vs batched");
        TensorAssert.Close(Encoder.Encode(new[] { "a red apple" }, CPU).Embeddings, alone, 1e-6, "another encoder instance");
    }

    [Fact]
    public void Long_prompts_are_truncated_to_max_tokens()
    {
        string huge = string.Join(' ', Enumerable.Repeat("a red apple on a table", 200_000));
        using var scope = NewDisposeScope();
        var text = Encoder.Encode(new[] { huge, "short" }, CPU);
        Assert.Equal(new long[] { 2, 256, 384 }, text.Embeddings.shape);
        Assert.Equal(256f, text.Mask[0].sum().item<float>());
        using var shorter = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = 16, CacheCapacity = 0 });
        Assert.Equal(new long[] { 1, 16, 384 }, shorter.Encode(new[] { huge }, CPU).Embeddings.shape);
    }

    [Fact]
    public void Bad_calls_are_refused_with_typed_errors()
    {
        Assert.Throws<ArgumentNullException>(() => Encoder.Encode(null!, CPU));
        Assert.Throws<ArgumentNullException>(() => Encoder.Encode(new[] { "x" }, null!));
        Assert.Contains("at least one prompt", Assert.Throws<ArgumentException>(() => Encoder.Encode(Array.Empty<string>(), CPU)).Message);
        Assert.Contains("Prompt 1 is null", Assert.Throws<ArgumentException>(() => Encoder.EncodePooled(new[] { "x", null! }, CPU)).Message);
    }

    [Fact]
    public void Options_are_validated_when_the_encoder_is_created()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = 257 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxBatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { IntraOpThreads = 0 }));
        Assert.Throws<ArgumentException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { ModelPath = " " }));
    }

    [Fact]
    public void Missing_or_invalid_model_files_are_named_in_the_error()
    {
        using var folder = new TempFolder();
        string missing = Path.Combine(folder.Path, "model.onnx");
        var error = Assert.Throws<MiniLMModelFileException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { ModelPath = missing }));
        Assert.Equal(missing, error.FilePath);
        Assert.Contains("does not exist", error.Problem);

        string garbage = Path.Combine(folder.Path, "garbage.onnx");
        File.WriteAllBytes(garbage, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        Assert.Equal(garbage, Assert.Throws<MiniLMModelFileException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { ModelPath = garbage })).FilePath);

        string noVocabulary = Path.Combine(folder.Path, "vocab.txt");
        Assert.Equal(noVocabulary, Assert.Throws<MiniLMModelFileException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { VocabularyPath = noVocabulary })).FilePath);
        File.WriteAllLines(noVocabulary, new[] { "[PAD]", "hello" });
        Assert.Contains("not a BERT WordPiece vocabulary", Assert.Throws<MiniLMModelFileException>(() => new MiniLMTextEncoder(new MiniLMTextEncoderOptions { VocabularyPath = noVocabulary })).Problem);
    }

    [Fact]
    public void A_disposed_encoder_refuses_work()
    {
        var encoder = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = 0 });
        encoder.Dispose();
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new[] { "x" }, CPU));
    }
}
