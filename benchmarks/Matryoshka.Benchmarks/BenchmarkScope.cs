using Matryoshka.Runtime;

namespace Matryoshka.Benchmarks;

/// <summary>
/// Which parameter values the benchmarks run. The full scope is what docs/performance.md reports; the smoke scope
/// (<c>--smoke</c>) keeps the smallest models and batches and runs every benchmark once, so CI can check in a few
/// minutes that every benchmark still runs, without reading anything into the times. The environment variables
/// <c>MATRYOSHKA_BENCH_MODELS</c>, <c>MATRYOSHKA_BENCH_BATCHES</c> and <c>MATRYOSHKA_BENCH_DTYPES</c>
/// (comma-separated) narrow any scope to the listed values, e.g. to time one model before and after a change.
/// </summary>
internal static class BenchmarkScope
{
    /// <summary>Set by <c>--smoke</c> before BenchmarkDotNet enumerates the parameters (in-process, so it is seen).</summary>
    public static bool Smoke { get; set; }

    public static IEnumerable<string> Models(string[] full, string[] smoke) => Narrow("MATRYOSHKA_BENCH_MODELS", Smoke ? smoke : full);

    public static IEnumerable<int> Batches(int[] full, int[] smoke) =>
        Narrow("MATRYOSHKA_BENCH_BATCHES", (Smoke ? smoke : full).Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .Select(b => int.Parse(b, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// float32, and bfloat16 where the CPU runs it fast: emulated bf16 (AVX2-only CPUs) runs hundreds of times slower
    /// than float32, so its rows would take hours and say nothing; they are left out with a note
    /// (<see cref="SkippedBFloat16Note"/>, printed by Program).
    /// </summary>
    public static IEnumerable<string> DTypes => Narrow("MATRYOSHKA_BENCH_DTYPES", BFloat16Support.Cpu.Fast ? ["float32", "bfloat16"] : ["float32"]);

    /// <summary>Why the bfloat16 rows are missing, or null where they run.</summary>
    public static string? SkippedBFloat16Note =>
        BFloat16Support.Cpu.Fast ? null : $"bfloat16 rows skipped: {BFloat16Support.Cpu.Evidence} (Matryoshka.Runtime.BFloat16Support).";

    private static IEnumerable<string> Narrow(string variable, string[] values)
    {
        var wanted = Environment.GetEnvironmentVariable(variable)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return wanted is null || wanted.Length == 0 ? values : values.Where(wanted.Contains);
    }
}
