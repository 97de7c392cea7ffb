using BenchmarkDotNet.Attributes;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Matryoshka.Training;
using Matryoshka.Training.Runs;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// The models whose big levels dominate, level by level, at batch 1 (float32): one forward pass, one training step
/// and one guided (w = 5) DDIM sampling step. The released three-level architecture (1024 → 256 → 64) at an eighth of
/// its width (<c>.inner</c> drops the 1024² level, <c>.core</c> the 256² level too), and MDM's cost ratio at a
/// quarter of the released width: the 256 → 64 nested model, its 64 model alone, and a flat 256 UNet of the same
/// widths. Their 256² and 1024² levels are thin and memory-bound, so larger batches take minutes per invocation; the
/// 64 model alone is also in the batch-parameterised classes.
/// </summary>
[WarmupCount(1)]
[IterationCount(3)]
public class LevelCostBenchmarks
{
    /// <summary>Samples per call.</summary>
    public const int Batch = 1;

    private BenchmarkSubject _subject = null!;
    private Tensor[] _inputs = null!;
    private Tensor _timesteps = null!;
    private Trainer? _trainer;
    private Denoiser? _denoiser;
    private SamplingPlan? _plan;

    public static IEnumerable<string> Models => BenchmarkScope.Models(
        full: ["mdm1024/8", "mdm1024/8.inner", "mdm1024/8.core", "nested256/4", "released64/4", "flat256/4"],
        smoke: ["three_level", "three_level.core"]);

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [GlobalSetup(Target = nameof(Forward))]
    public void SetupForward() => Setup().Model.eval();

    [GlobalSetup(Target = nameof(TrainingStep))]
    public void SetupTraining() => _trainer = Setup().CreateTrainer();

    [GlobalSetup(Target = nameof(GuidedSamplingStep))]
    public void SetupSampling()
    {
        Setup();
        _subject.Model.eval();
        _denoiser = ClassifierFreeGuidance.Wrap(_subject.Model, _subject.Text!, _subject.Text, 5);
        _plan = new SamplingPlan(_subject.Schedule(), SamplingTimesteps.Create(1000, 1), PredictionType.VPrediction, Thresholding.Clip);
    }

    [Benchmark]
    public long Forward() => _subject.InferenceForward(_inputs, _timesteps);

    [Benchmark]
    public double TrainingStep()
    {
        using var noCollection = NoGarbageCollectionRegion.Enter();
        return _trainer!.Step(_inputs[0], _subject.Text).Loss;
    }

    [Benchmark]
    public long GuidedSamplingStep()
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var shapes = _subject.Resolutions.Select(r => new long[] { Batch, 3, r, r }).ToArray();
        return JointSampling.Run(_denoiser!, new DdimSampler(), _plan!, shapes, ScalarType.Float32, CPU, new GeneratorNoiseSource(1))[0].shape[0];
    }

    /// <summary>Counted FLOPs of one invocation of <paramref name="method"/>.</summary>
    public static double Flops(string model, string method) => method switch
    {
        nameof(TrainingStep) => Matryoshka.Models.ModelFlops.TrainingStepFactor * BenchmarkSubject.ForwardFlops(model, Batch),
        nameof(GuidedSamplingStep) => BenchmarkSubject.ForwardFlops(model, 2 * Batch),
        _ => BenchmarkSubject.ForwardFlops(model, Batch),
    };

    [GlobalCleanup]
    public void Cleanup()
    {
        _trainer?.Dispose();
        _subject.Dispose();
    }

    private BenchmarkSubject Setup()
    {
        _subject = new BenchmarkSubject(Model, "float32", Batch);
        (_inputs, _timesteps) = _subject.SeededInputs(Batch, (shape, g) => rand(shape, generator: g) * 2 - 1);
        return _subject;
    }
}
