using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// One forward pass (all levels, inference mode) of the fixtures' architectures, the released 64×64 model at a
/// quarter of its width alone and nested in the released 256 stage, a flat 256 UNet of the same widths, and the
/// embedded emoji model (64 → 16) and its 16×16 level alone. Batch 2 is one sample with classifier-free guidance.
/// </summary>
[WarmupCount(2)]
[IterationCount(10)]
public class ModelForwardBenchmarks
{
    private BenchmarkSubject _subject = null!;
    private Tensor[] _inputs = null!;
    private Tensor _timesteps = null!;

    public static IEnumerable<string> Models => BenchmarkScope.Models(
        full: ["two_level", "two_level.inner", "three_level", "three_level.inner", "three_level.core", "released64/4", "emoji-64", "emoji-64.inner", "emoji-256", "emoji-256.inner"],
        smoke: ["two_level", "three_level.core"]);

    public static IEnumerable<int> Batches => BenchmarkScope.Batches(full: [2, 8], smoke: [2]);

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; }

    public static IEnumerable<string> DTypes => BenchmarkScope.DTypes;

    [ParamsSource(nameof(DTypes))]
    public string DType { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _subject = new BenchmarkSubject(Model, DType, Batch);
        _subject.Model.eval();
        (_inputs, _timesteps) = _subject.SeededInputs(Batch, (shape, g) => randn(shape, generator: g).to(_subject.DType));
    }

    [Benchmark]
    public long Forward() => _subject.InferenceForward(_inputs, _timesteps);

    [GlobalCleanup]
    public void Cleanup() => _subject.Dispose();
}
