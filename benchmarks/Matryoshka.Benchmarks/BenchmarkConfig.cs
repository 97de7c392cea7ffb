using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Matryoshka.Benchmarks;

/// <summary>
/// Runs every benchmark in this process: TorchSharp needs libtorch's native files and the Linux load fix that
/// only this project's build output has. Every run also writes the full JSON report (per-iteration measurements,
/// what <c>matryoshka bench-compare</c> reads) and the GitHub-markdown table into BenchmarkDotNet.Artifacts/results.
/// In the smoke scope every benchmark runs once (BenchmarkDotNet's dry job): it checks that they run, nothing more.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        // The in-process toolchain gives up on a benchmark after 5 minutes by default, and a batch-8 guided sampling
        // step of the nested 256 model needs most of that on a 2-core CPU: allow 30.
        var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true);
        AddJob((BenchmarkScope.Smoke ? Job.Dry : Job.Default).WithToolchain(toolchain));
        Add(DefaultConfig.Instance);
        AddColumn(ThroughputColumn.ImagesPerSecond, ThroughputColumn.StepsPerSecond, ThroughputColumn.Gflops, ThroughputColumn.OfPeak);
        foreach (var exporter in new[] { JsonExporter.Full, MarkdownExporter.GitHub })
        {
            // DefaultConfig already has the GitHub markdown exporter in 0.15.8; adding it twice would make
            // BenchmarkDotNet warn "already present" on every run, so only what is missing is added.
            if (!GetExporters().Any(present => present.Name == exporter.Name)) AddExporter(exporter);
        }
    }
}
