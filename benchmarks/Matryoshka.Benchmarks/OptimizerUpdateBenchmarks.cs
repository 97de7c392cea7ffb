using BenchmarkDotNet.Attributes;
using Matryoshka.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// The per-parameter work at the end of a training step, on its own: one AdamW update and one EMA update over every
/// parameter of a model (float32, random gradients). Tiny tensors make this launch-bound, so it is measured apart
/// from the network (see docs/performance.md, optimisation 2).
/// </summary>
[WarmupCount(3)]
[IterationCount(15)]
public class OptimizerUpdateBenchmarks
{
    private BenchmarkSubject _subject = null!;
    private AdamWOptimizer _adam = null!;
    private EmaModel _ema = null!;

    public static IEnumerable<string> Models => BenchmarkScope.Models(full: ["emoji-64", "released64/4"], smoke: ["two_level"]);

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _subject = new BenchmarkSubject(Model, "float32", 1);
        var parameters = _subject.Model.parameters().ToArray();
        var g = new Generator(3);
        foreach (var p in parameters) p.grad = randn(p.shape, generator: g).DetachFromDisposeScope();
        _adam = new AdamWOptimizer(parameters, 0.9, 0.999, 1e-8, 0.01);
        _ema = new EmaModel(_subject.Model, 0.999);
    }

    [Benchmark]
    public long AdamW()
    {
        _adam.Step(1e-4);
        return _adam.StepCount;
    }

    [Benchmark]
    public double Ema()
    {
        _ema.Update(_subject.Model);
        return _ema.Decay;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adam.Dispose();
        _ema.Dispose();
        _subject.Dispose();
    }
}
