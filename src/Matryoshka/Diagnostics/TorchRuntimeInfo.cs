using Matryoshka.Runtime;
using TorchSharp;

namespace Matryoshka.Diagnostics;

/// <summary>What libtorch reports about itself once loaded: its version, CUDA and its thread pools.</summary>
/// <param name="LibTorchVersion">libtorch's version as TorchSharp reports it, e.g. <c>2.10.0.0</c>.</param>
/// <param name="CudaAvailable">Whether a CUDA backend is loaded and sees a device.</param>
/// <param name="CudaDeviceCount">How many CUDA devices it sees.</param>
/// <param name="IntraOpThreads">libtorch's intra-op thread count (set process-wide by the application, never by the library).</param>
/// <param name="InterOpThreads">libtorch's inter-op thread count.</param>
public sealed record TorchRuntimeInfo(string LibTorchVersion, bool CudaAvailable, int CudaDeviceCount, int IntraOpThreads, int InterOpThreads)
{
    /// <summary>Asks the loaded libtorch; each value is added to <paramref name="facts"/> as soon as it is read.</summary>
    internal static TorchRuntimeInfo Read(List<InstallationFact> facts)
    {
        var version = torch.__version__;
        facts.Add(new("libtorch", version));
        bool cudaAvailable = torch.cuda.is_available();
        int devices = torch.cuda.device_count();
        facts.Add(new("CUDA", $"{(cudaAvailable ? "available" : "not available")}, device count {devices}"));
        int intraOp = torch.get_num_threads(), interOp = torch.get_num_interop_threads();
        var omp = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        facts.Add(new("Threads",
            $"inter-op {interOp}; {CpuThreading.Describe()}; " +
            $"processors {Environment.ProcessorCount}; OMP_NUM_THREADS {(string.IsNullOrEmpty(omp) ? "not set" : omp)}"));
        var bf16 = BFloat16Support.Cpu;
        facts.Add(new("bfloat16", $"{(bf16.Fast ? "fast" : "SLOW (refused unless allowed)")}: {bf16.Evidence}"));
        return new TorchRuntimeInfo(version, cudaAvailable, devices, intraOp, interOp);
    }
}
