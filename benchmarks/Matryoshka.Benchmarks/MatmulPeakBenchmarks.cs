using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// The machine's dense matmul rate (square n×n·n×n, 2n³ FLOPs), in float32 and bfloat16: the "peak" that the model
/// benchmarks' GFLOP/s column is compared with. Measured in the same run as the models, with the same threads.
/// </summary>
[WarmupCount(2)]
[IterationCount(10)]
public class MatmulPeakBenchmarks
{
    private Tensor _a = null!;
    private Tensor _b = null!;

    /// <summary>1024² and 2048²; the smoke scope's 256² keeps CI quick on CPUs without native bfloat16.</summary>
    public static IEnumerable<int> Sizes => BenchmarkScope.Smoke ? [256] : [1024, 2048];

    [ParamsSource(nameof(Sizes))]
    public int Size { get; set; }

    [Params("float32", "bfloat16")]
    public string DType { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var dtype = DType == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
        var g = new Generator(0);
        _a = randn(new long[] { Size, Size }, generator: g).to(dtype).DetachFromDisposeScope();
        _b = randn(new long[] { Size, Size }, generator: g).to(dtype).DetachFromDisposeScope();
    }

    /// <summary>FLOPs of one <see cref="Matmul"/>.</summary>
    public static double Flops(int size) => 2.0 * size * size * size;

    [Benchmark]
    public long Matmul()
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        return _a.matmul(_b).shape[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
