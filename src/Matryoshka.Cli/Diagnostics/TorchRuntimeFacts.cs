using TorchSharp;

namespace Matryoshka.Cli.Diagnostics;

/// <summary>The facts the doctor reports once libtorch has loaded: its version, CUDA and threads.</summary>
internal static class TorchRuntimeFacts
{
    /// <summary>Writes libtorch's version, CUDA availability and the thread settings.</summary>
    public static void Write(ReportWriter report)
    {
        report.Line("libtorch", torch.__version__);
        var cudaAvailable = torch.cuda.is_available();
        report.Line("CUDA", $"{(cudaAvailable ? "available" : "not available")}, device count {torch.cuda.device_count()}");
        var omp = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        report.Line("Threads",
            $"torch intra-op {torch.get_num_threads()}, inter-op {torch.get_num_interop_threads()}; " +
            $"processors {Environment.ProcessorCount}; OMP_NUM_THREADS {(string.IsNullOrEmpty(omp) ? "not set" : omp)}");
    }
}
