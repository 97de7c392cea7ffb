using Matryoshka.Text.MiniLM;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Text;

public class MiniLMCacheTests
{
    [Fact]
    public void Repeated_prompts_are_served_from_the_cache_bit_for_bit()
    {
        using var encoder = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = 8 });
        using var scope = NewDisposeScope();
        var first = encoder.Encode(new[] { "a red apple", "a green apple", "a red apple" }, CPU);
        Assert.Equal(2, encoder.SequencesRun);          // the repeat within the call runs once
        Assert.Equal(2, encoder.CachedPromptCount);
        Assert.True(first.Embeddings[0].eq(first.Embeddings[2]).all().item<bool>());

        var second = encoder.Encode(new[] { "a green apple", "a red apple", "a red apple" }, CPU);
        Assert.Equal(2, encoder.SequencesRun);          // all hits
        Assert.True(second.Embeddings[1].eq(first.Embeddings[0]).all().item<bool>(), "cache hit differs from the first result");
        Assert.True(second.Embeddings[0].eq(first.Embeddings[1]).all().item<bool>(), "cache hit differs from the first result");

        // Prompts that tokenize alike share an entry (case and extra whitespace vanish in tokenization).
        encoder.Encode(new[] { "A  Red Apple" }, CPU);
        Assert.Equal(2, encoder.SequencesRun);
        encoder.EncodePooled(new[] { "a red apple" }, CPU);
        Assert.Equal(2, encoder.SequencesRun);
    }

    [Fact]
    public void The_least_recently_used_prompt_is_evicted_first()
    {
        using var encoder = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = 2, MaxTokens = 8 });
        using var scope = NewDisposeScope();
        encoder.Encode(new[] { "one" }, CPU);
        encoder.Encode(new[] { "two" }, CPU);
        encoder.Encode(new[] { "one" }, CPU);           // hit: "two" is now the oldest
        encoder.Encode(new[] { "three" }, CPU);         // evicts "two"
        Assert.Equal(3, encoder.SequencesRun);
        Assert.Equal(2, encoder.CachedPromptCount);
        encoder.Encode(new[] { "one" }, CPU);
        Assert.Equal(3, encoder.SequencesRun);
        encoder.Encode(new[] { "two" }, CPU);
        Assert.Equal(4, encoder.SequencesRun);
        encoder.ClearCache();
        Assert.Equal(0, encoder.CachedPromptCount);
    }

    [Fact]
    public async Task Concurrent_calls_give_the_results_of_sequential_calls()
    {
        string[][] batches = Enumerable.Range(0, 8)
            .Select(i => new[] { $"caption {i}: a small yellow face", "a red apple", $"an emoji of a {(i % 2 == 0 ? "cat" : "dog")} wearing {i} hats" })
            .ToArray();
        float[][] sequential;
        using (var reference = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = 0 }))
            sequential = batches.Select(b => Pooled(reference, b)).ToArray();

        using var shared = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = 4 });
        var results = await Task.WhenAll(batches.Select(b => Task.Run(() => Pooled(shared, b))));
        for (int i = 0; i < batches.Length; i++)
        {
            var concurrent = results[i];
            double worst = concurrent.Zip(sequential[i], (x, y) => Math.Abs(x - y)).Max();
            Assert.True(worst <= 1e-6, $"batch {i} differs by {worst:E2}");
        }
    }

    private static float[] Pooled(MiniLMTextEncoder encoder, string[] prompts)
    {
        using var scope = NewDisposeScope();
        return encoder.EncodePooled(prompts, CPU).data<float>().ToArray();
    }
}
