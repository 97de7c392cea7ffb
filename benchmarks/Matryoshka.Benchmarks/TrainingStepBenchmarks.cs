using BenchmarkDotNet.Attributes;
using Matryoshka.Training;
using Matryoshka.Training.Runs;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// One training step — noising every level, forward, loss, backward, gradient clipping, AdamW and the EMA — exactly as
/// <c>matryoshka train</c> runs it (inside a no-GC region). Per level by difference between a model and its
/// <c>.inner</c> / <c>.core</c> rows. bfloat16 keeps the weights themselves in bfloat16 (no float32 master copy):
/// a throughput figure, not a recommended way to train.
/// </summary>
[WarmupCount(1)]
[IterationCount(5)]
public class TrainingStepBenchmarks
{
    private BenchmarkSubject _subject = null!;
    private Trainer _trainer = null!;
    private Tensor _images = null!;

    public static IEnumerable<string> Models => BenchmarkScope.Models(
        full: ["two_level", "two_level.inner", "emoji-64", "emoji-64.inner", "emoji-256", "emoji-256.inner", "released64/4"],
        smoke: ["two_level", "two_level.inner"]);

    public static IEnumerable<int> Batches => BenchmarkScope.Batches(full: [2, 8], smoke: [2]);

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; }

    public static IEnumerable<string> DTypes => BenchmarkScope.DTypes;

    [ParamsSource(nameof(DTypes))]
    public string DType { get; set; } = "";

    /// <summary>Counted FLOPs of one step: forward plus the backward's two products per forward product.</summary>
    public static double Flops(string model, int batch) => ModelFlopsFactor * BenchmarkSubject.ForwardFlops(model, batch);

    private const double ModelFlopsFactor = Matryoshka.Models.ModelFlops.TrainingStepFactor;

    [GlobalSetup]
    public void Setup()
    {
        _subject = new BenchmarkSubject(Model, DType, Batch);
        _trainer = _subject.CreateTrainer();
        int resolution = _subject.Resolutions[0];
        _images = (rand(new long[] { Batch, 3, resolution, resolution }, generator: new Generator(2)) * 2 - 1).to(_subject.DType).DetachFromDisposeScope();
    }

    [Benchmark]
    public double Step()
    {
        using var noCollection = NoGarbageCollectionRegion.Enter();
        return _trainer.Step(_images, _subject.Text).Loss;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _trainer.Dispose();
        _subject.Dispose();
        _images.Dispose();
    }
}
