namespace Matryoshka.Benchmarks;

/// <summary>
/// Which parameter values the benchmarks run. The full scope is what docs/performance.md reports; the smoke scope
/// (<c>--smoke</c>) keeps the smallest models and batches and runs every benchmark once, so CI can check in a few
/// minutes that every benchmark still runs, without reading anything into the times.
/// </summary>
internal static class BenchmarkScope
{
    /// <summary>Set by <c>--smoke</c> before BenchmarkDotNet enumerates the parameters (in-process, so it is seen).</summary>
    public static bool Smoke { get; set; }

    public static IEnumerable<string> Pick(string[] full, string[] smoke) => Smoke ? smoke : full;

    public static IEnumerable<int> Pick(int[] full, int[] smoke) => Smoke ? smoke : full;
}
