using BenchmarkDotNet.Attributes;
using Matryoshka.Text.MiniLM;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// all-MiniLM-L6-v2 (ONNX Runtime, CPU): token embeddings for one prompt and for a batch of 32 captions, run
/// through the network every time (cache off) and served from the prompt cache.
/// </summary>
[WarmupCount(2)]
[IterationCount(10)]
public class TextEncoderBenchmarks
{
    private static readonly string[] One = { "a photo of a red apple on a wooden table" };
    private static readonly string[] Batch = Enumerable.Range(0, 32)
        .Select(i => $"an emoji of a {(i % 2 == 0 ? "smiling" : "crying")} face with {i} small hearts around it, flat style")
        .ToArray();

    private MiniLMTextEncoder _uncached = null!;
    private MiniLMTextEncoder _cached = null!;

    [GlobalSetup]
    public void Setup()
    {
        _uncached = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = 0 });
        _cached = new MiniLMTextEncoder();
        Run(_cached, Batch);
        Run(_cached, One);
    }

    [Benchmark]
    public long OnePrompt() => Run(_uncached, One);

    [Benchmark]
    public long OnePromptCached() => Run(_cached, One);

    [Benchmark]
    public long Batch32() => Run(_uncached, Batch);

    [Benchmark]
    public long Batch32Cached() => Run(_cached, Batch);

    [GlobalCleanup]
    public void Cleanup()
    {
        _uncached.Dispose();
        _cached.Dispose();
    }

    private static long Run(MiniLMTextEncoder encoder, string[] prompts)
    {
        using var scope = NewDisposeScope();
        return encoder.Encode(prompts, CPU).Embeddings.shape[1];
    }
}
