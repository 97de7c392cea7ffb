using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// The .NET half of the side-by-side comparison with PyTorch (benchmarks/side-by-side): ml-mdm's 64² model at ¼ width
/// (<c>anchor64/4</c>) and its 256² stage at ¼ width around it (<c>anchor256/4</c>), both with 16 × 256 text, float32,
/// batch 4 and 8. <c>pytorch_anchor.py</c> runs the same two operations on ml-mdm's own modules, so the two sides must
/// stay identical step for step: a forward in inference mode, and a bare training step (forward, the sum over levels
/// of the MSE against a fixed random target, backward, TorchSharp's AdamW, zero_grad) without the noising, clipping
/// and EMA of <see cref="TrainingStepBenchmarks"/>, which PyTorch has no standard counterpart for.
/// </summary>
[WarmupCount(2)]
[IterationCount(10)]
public class SideBySideBenchmarks
{
    /// <summary>Width of the random text embeddings (16 tokens, <see cref="BenchmarkModels.TextLength"/>).</summary>
    public const int TextEmbeddingDim = 256;

    // AdamW's settings, spelled out because the defaults differ (TorchSharp's weight decay is 0, PyTorch's 0.01); the Python side uses these.
    private const double LearningRate = 1e-4, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8, WeightDecay = 0.01;

    private BenchmarkSubject _subject = null!;
    private Tensor[] _inputs = null!;
    private Tensor[] _targets = [];
    private Tensor _timesteps = null!;
    private TorchSharp.Modules.AdamW? _optimizer;

    /// <summary>The two anchor models; the smoke scope keeps the 64² one.</summary>
    public static IEnumerable<string> Models => BenchmarkScope.Models(full: ["anchor64/4", "anchor256/4"], smoke: ["anchor64/4"]);

    /// <summary>Batches 4 and 8; the smoke scope runs batch 1, only to prove the code path.</summary>
    public static IEnumerable<int> Batches => BenchmarkScope.Batches(full: [4, 8], smoke: [1]);

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; }

    /// <summary>Counted FLOPs of one invocation of <paramref name="method"/> (a training step is the usual 3 × forward).</summary>
    public static double Flops(string model, int batch, string method) =>
        (method == nameof(TrainStep) ? Matryoshka.Models.ModelFlops.TrainingStepFactor : 1) * BenchmarkSubject.ForwardFlops(model, batch);

    [GlobalSetup(Target = nameof(Forward))]
    public void SetupForward() => CreateSubject().Model.eval();

    [GlobalSetup(Target = nameof(TrainStep))]
    public void SetupTrainStep()
    {
        CreateSubject().Model.train();
        var g = new Generator(3);
        _targets = _subject.Resolutions.Select(r => randn(new long[] { Batch, 3, r, r }, generator: g).DetachFromDisposeScope()).ToArray();
        // Built here, outside every step's dispose scope, so its moment tensors outlive the steps on any TorchSharp version.
        _optimizer = optim.AdamW(_subject.Model.parameters(), lr: LearningRate, beta1: Beta1, beta2: Beta2, eps: Epsilon, weight_decay: WeightDecay);
    }

    [Benchmark]
    public long Forward() => _subject.InferenceForward(_inputs, _timesteps);

    [Benchmark]
    public float TrainStep()
    {
        using var scope = NewDisposeScope();
        var outputs = _subject.Forward(_inputs, _timesteps);
        var loss = outputs.Zip(_targets, (output, target) => nn.functional.mse_loss(output, target)).Aggregate((a, b) => a + b);
        loss.backward();
        _optimizer!.step();
        _optimizer.zero_grad();
        return loss.item<float>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer?.Dispose();
        _optimizer = null;
        foreach (var tensor in _inputs.Concat(_targets).Append(_timesteps)) tensor.Dispose();
        _targets = [];
        _subject.Dispose();
    }

    private BenchmarkSubject CreateSubject()
    {
        _subject = new BenchmarkSubject(Model, "float32", Batch);
        (_inputs, _timesteps) = _subject.SeededInputs(Batch, (shape, g) => randn(shape, generator: g));
        return _subject;
    }
}
