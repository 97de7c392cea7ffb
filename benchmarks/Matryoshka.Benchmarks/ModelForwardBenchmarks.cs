using BenchmarkDotNet.Attributes;
using Matryoshka.Models;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// One forward pass (all levels) of the parity fixtures' architectures, of their inner levels alone (the
/// difference is the outer level's cost), of the released 64×64 model at a quarter of its width, and of the embedded
/// emoji model (64 → 16) and its 16×16 level alone.
/// Batch 2 (one sample with classifier-free guidance), float32 and bfloat16, CPU, inference mode.
/// </summary>
[WarmupCount(2)]
[IterationCount(10)]
public class ModelForwardBenchmarks
{
    private NestedUNet _model = null!;
    private Tensor[] _inputs = null!;
    private Tensor _timesteps = null!;
    private Tensor? _text;
    private Tensor? _mask;

    private const int Batch = 2;
    private const int TextLength = 16;

    [Params("two_level", "two_level.inner", "three_level", "three_level.inner", "three_level.core", "released64/4", "emoji-64", "emoji-64.inner")]
    public string Model { get; set; } = "";

    [Params("float32", "bfloat16")]
    public string DType { get; set; } = "";

    /// <summary>Counted FLOPs of one <see cref="Forward"/> of <paramref name="model"/>.</summary>
    public static double Flops(string model) => Batch * (double)ModelFlops.Of(BenchmarkModels.Get(model), TextLength).Forward;

    [GlobalSetup]
    public void Setup()
    {
        var config = BenchmarkModels.Get(Model);
        var dtype = DType == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
        _model = new NestedUNet(config, CPU, dtype);
        _model.eval();
        var g = new Generator(0);
        _inputs = _model.Plan.Resolutions.Select(r => randn(new long[] { Batch, 3, r, r }, generator: g).to(dtype).DetachFromDisposeScope()).ToArray();
        _timesteps = tensor(new long[] { 10, 900 }).DetachFromDisposeScope();
        if (config.TextEmbeddingDim > 0)
        {
            _text = randn(new long[] { Batch, TextLength, config.TextEmbeddingDim }, generator: g).DetachFromDisposeScope();
            _mask = ones(Batch, TextLength).DetachFromDisposeScope();
        }
    }

    [Benchmark]
    public long Forward()
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        return _model.Forward(_inputs, _timesteps, _text, _mask)[0].shape[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();
}
