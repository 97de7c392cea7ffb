using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Matryoshka.Benchmarks;

/// <summary>
/// Runs every benchmark in this process: TorchSharp needs libtorch's native files and the Linux load fix that
/// only this project's build output has.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
        Add(DefaultConfig.Instance);
    }
}
