using BenchmarkDotNet.Attributes;
using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Models;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// Ten joint sampling steps (batch 1, float32, CPU) per sampler, with guidance off (w = 1: one network call per step)
/// and on (w = 3: one call on a doubled batch), on the fixtures' architectures and the embedded emoji model: what the
/// sampler's own arithmetic adds to the network. The columns divide by the 10 steps.
/// </summary>
[WarmupCount(2)]
[IterationCount(8)]
public class SamplingBenchmarks
{
    /// <summary>Joint steps per invocation.</summary>
    public const int Steps = 10;
    private NestedUNet _model = null!;
    private Denoiser _denoiser = null!;
    private SamplingPlan _plan = null!;
    private long[][] _shapes = null!;
    private ISampler _sampler = null!;

    public static IEnumerable<string> Models => BenchmarkScope.Models(
        full: ["two_level", "two_level.inner", "three_level", "three_level.core", "emoji-64"],
        smoke: ["three_level.core"]);

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [Params("ddim", "ddpm", "dpm++2m")]
    public string Sampler { get; set; } = "";

    [Params(1.0, 3.0)]
    public double Guidance { get; set; }

    /// <summary>Counted FLOPs of one invocation: the network on the (doubled, when guided) batch of 1, per step.</summary>
    public static double Flops(string model, double guidance) => Steps * BenchmarkSubject.ForwardFlops(model, guidance == 1 ? 1 : 2);

    [GlobalSetup]
    public void Setup()
    {
        var config = BenchmarkModels.Get(Model);
        _model = new NestedUNet(config);
        _model.eval();
        var g = new Generator(0);
        var text = new TextConditioning(randn(new long[] { 1, BenchmarkModels.TextLength, config.TextEmbeddingDim }, generator: g).DetachFromDisposeScope(),
            ones(1, BenchmarkModels.TextLength).DetachFromDisposeScope());
        _denoiser = ClassifierFreeGuidance.Wrap(_model, text, Guidance == 1 ? null : text, Guidance);
        var resolutions = _model.Plan.Resolutions;
        _plan = new SamplingPlan(new MultiResolutionSchedule(NoiseSchedules.CosineCapped(1000), resolutions, 1),
            SamplingTimesteps.Create(1000, Steps), PredictionType.VPrediction, Thresholding.Clip);
        _shapes = resolutions.Select(r => new long[] { 1, 3, r, r }).ToArray();
        _sampler = Sampler switch { "ddpm" => new DdpmSampler(), "dpm++2m" => new DpmSolverPlusPlusSampler(), _ => new DdimSampler() };
    }

    [Benchmark]
    public long TenSteps()
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        return JointSampling.Run(_denoiser, _sampler, _plan, _shapes, ScalarType.Float32, CPU, new GeneratorNoiseSource(1))[0].shape[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();
}
