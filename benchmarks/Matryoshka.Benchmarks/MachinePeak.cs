using System.Diagnostics;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// The machine's dense matmul rate in GFLOP/s per dtype, measured once per process (when a report first asks) with
/// the same threads as the benchmarks: the best of 20 2048×2048 products after a warm-up, since a peak is what the
/// machine can do, not what it did on average. The "of peak" column divides by it, so every report compares with a
/// peak measured in the same run; on a machine shared with other work it can still come out low (the report's
/// legend prints it). <see cref="MatmulPeakBenchmarks"/> measures the same rate with BenchmarkDotNet's statistics.
/// </summary>
internal static class MachinePeak
{
    private const int Size = 2048;
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
        double best = double.MaxValue;
        for (int i = 0; i < 22; i++)
        {
            var watch = Stopwatch.StartNew();
            using (var product = a.matmul(b)) { }
            if (i >= 2) best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return MatmulPeakBenchmarks.Flops(Size) / best / 1e9;
    }
}
