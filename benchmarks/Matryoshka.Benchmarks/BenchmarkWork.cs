using BenchmarkDotNet.Running;

namespace Matryoshka.Benchmarks;

/// <summary>
/// What one invocation of a benchmark does, for the throughput columns: counted FLOPs, images passed through one
/// step (batch × steps), steps, and the dtype whose peak it is compared with. Null for benchmarks without a count.
/// </summary>
internal sealed record BenchmarkWork(double Flops, int ImageSteps, int Steps, string DType)
{
    public static BenchmarkWork? Of(BenchmarkCase benchmarkCase)
    {
        T Get<T>(string name) => (T)benchmarkCase.Parameters.Items.First(p => p.Name == name).Value;
        string dtype = benchmarkCase.Parameters.Items.Any(p => p.Name == "DType") ? Get<string>("DType") : "float32";
        return benchmarkCase.Descriptor.Type.Name switch
        {
            nameof(MatmulPeakBenchmarks) => new(MatmulPeakBenchmarks.Flops(Get<int>("Size")), 0, 0, dtype),
            nameof(ModelForwardBenchmarks) => new(BenchmarkSubject.ForwardFlops(Get<string>("Model"), Get<int>("Batch")), Get<int>("Batch"), 1, dtype),
            nameof(TrainingStepBenchmarks) => new(TrainingStepBenchmarks.Flops(Get<string>("Model"), Get<int>("Batch")), Get<int>("Batch"), 1, dtype),
            nameof(SamplingStepBenchmarks) => new(SamplingStepBenchmarks.Flops(Get<string>("Model"), Get<int>("Batch"), Get<double>("Guidance")),
                Get<int>("Batch") * SamplingStepBenchmarks.Steps, SamplingStepBenchmarks.Steps, dtype),
            nameof(LevelCostBenchmarks) => new(LevelCostBenchmarks.Flops(Get<string>("Model"), benchmarkCase.Descriptor.WorkloadMethod.Name),
                LevelCostBenchmarks.Batch, 1, dtype),
            nameof(SideBySideBenchmarks) => new(SideBySideBenchmarks.Flops(Get<string>("Model"), Get<int>("Batch"), benchmarkCase.Descriptor.WorkloadMethod.Name),
                Get<int>("Batch"), 1, dtype),
            nameof(SamplingBenchmarks) => new(SamplingBenchmarks.Flops(Get<string>("Model"), Get<double>("Guidance")),
                SamplingBenchmarks.Steps, SamplingBenchmarks.Steps, dtype),
            _ => null,
        };
    }
}
