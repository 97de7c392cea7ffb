using BenchmarkDotNet.Attributes;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// Joint sampling steps (every level: the guided network call and the DDIM update, in inference mode) per batch,
/// guidance and dtype; <see cref="Steps"/> steps per invocation (the columns divide by them). Guidance w ≠ 1 runs the
/// conditional and unconditional halves as one call on a doubled batch. The samplers' own arithmetic is compared
/// in <see cref="SamplingBenchmarks"/>.
/// </summary>
[WarmupCount(1)]
[IterationCount(5)]
public class SamplingStepBenchmarks
{
    /// <summary>Joint steps per invocation.</summary>
    public const int Steps = 2;

    private BenchmarkSubject _subject = null!;
    private Denoiser _denoiser = null!;
    private SamplingPlan _plan = null!;
    private long[][] _shapes = null!;
    private readonly DdimSampler _sampler = new();

    public static IEnumerable<string> Models => BenchmarkScope.Models(
        full: ["two_level", "two_level.inner", "emoji-64", "emoji-64.inner", "emoji-256", "emoji-256.inner", "released64/4"],
        smoke: ["two_level", "two_level.inner"]);

    public static IEnumerable<int> Batches => BenchmarkScope.Batches(full: [1, 8], smoke: [1]);

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; }

    [Params(1.0, 5.0)]
    public double Guidance { get; set; }

    public static IEnumerable<string> DTypes => BenchmarkScope.DTypes;

    [ParamsSource(nameof(DTypes))]
    public string DType { get; set; } = "";

    /// <summary>Counted FLOPs of one invocation: the network on the (doubled, when guided) batch, per step.</summary>
    public static double Flops(string model, int batch, double guidance) =>
        Steps * BenchmarkSubject.ForwardFlops(model, guidance == 1 ? batch : 2 * batch);

    [GlobalSetup]
    public void Setup()
    {
        _subject = new BenchmarkSubject(Model, DType, Batch);
        _subject.Model.eval();
        var text = _subject.Text!;
        _denoiser = ClassifierFreeGuidance.Wrap(_subject.Model, text, Guidance == 1 ? null : text, Guidance);
        _plan = new SamplingPlan(_subject.Schedule(), SamplingTimesteps.Create(1000, Steps), PredictionType.VPrediction, Thresholding.Clip);
        _shapes = _subject.Resolutions.Select(r => new long[] { Batch, 3, r, r }).ToArray();
    }

    [Benchmark]
    public long TwoSteps()
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        return JointSampling.Run(_denoiser, _sampler, _plan, _shapes, _subject.DType, CPU, new GeneratorNoiseSource(1))[0].shape[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _subject.Dispose();
}
