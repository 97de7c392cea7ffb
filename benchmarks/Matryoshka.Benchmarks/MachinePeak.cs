using System.Diagnostics;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// The machine's dense matmul rate in GFLOP/s per dtype, measured once per process (when a report first asks) with
/// the same threads as the benchmarks: the best of 20 2048×2048 products after a warm-up (fewer once 3 s have passed,
/// at least one), since a peak is what the machine can do, not what it did on average. The "of peak" column divides
/// by it, so every report compares with a peak measured in the same run; on a machine shared with other work it can
/// still come out low (the report's legend prints it). <see cref="MatmulPeakBenchmarks"/> measures the same rate with BenchmarkDotNet's statistics.
/// </summary>
internal static class MachinePeak
{
    private const int Size = 2048;
    private const int Products = 20;
    // A CPU without native bfloat16 (AVX2 only) takes tens of seconds per bf16 product: stop early rather than hold
    // every report (and CI's smoke run) for minutes.
    private static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(3);
    private static readonly Lazy<double> Float32 = new(() => Measure(ScalarType.Float32));
    private static readonly Lazy<double> BFloat16 = new(() => Measure(ScalarType.BFloat16));

    public static double Gflops(string dtype) => dtype == "bfloat16" ? BFloat16.Value : Float32.Value;

    private static double Measure(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var g = new Generator(0);
        var a = randn(new long[] { Size, Size }, generator: g).to(dtype);
        var b = randn(new long[] { Size, Size }, generator: g).to(dtype);
        using (var warmUp = a.matmul(b)) { }
        double best = double.MaxValue;
        var budget = Stopwatch.StartNew();
        for (int i = 0; i < Products && (i == 0 || budget.Elapsed < TimeBudget); i++)
        {
            var watch = Stopwatch.StartNew();
            using (var product = a.matmul(b)) { }
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return MatmulPeakBenchmarks.Flops(Size) / best / 1e9;
    }
}
