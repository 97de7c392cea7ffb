using BenchmarkDotNet.Attributes;
using Matryoshka.Diffusion;
using Matryoshka.Schedules;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// The diffusion math around one training step (pyramid, forward process, loss), without the network:
/// this is the per-step overhead the trainer adds on top of the model.
/// </summary>
[MemoryDiagnoser]
public class MultiResolutionLossBenchmarks
{
    private MultiResolutionSchedule _schedule = null!;
    private Tensor _images = null!;
    private Tensor _timesteps = null!;
    private Tensor[] _noise = null!;
    private Tensor[] _outputs = null!;

    /// <summary>Side of the highest level; the lowest is 64 (or the side itself when it is 64).</summary>
    [Params(64, 256)]
    public int Resolution { get; set; }

    [Params(8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int[] resolutions = Resolution == 64 ? new[] { 64 } : new[] { Resolution, 64 };
        _schedule = new MultiResolutionSchedule(NoiseSchedules.CosineCapped(1000), resolutions, 1);
        var g = new Generator(0);
        _images = (rand(new long[] { Batch, 3, Resolution, Resolution }, generator: g) * 2 - 1).DetachFromDisposeScope();
        _timesteps = NoisedBatch.SampleTimesteps(Batch, 1000, CPU, g).DetachFromDisposeScope();
        var pyramid = ImagePyramid.Build(_images, resolutions);
        _noise = ForwardProcess.SampleNoise(pyramid, g);
        _outputs = ForwardProcess.SampleNoise(pyramid, g);
    }

    [Benchmark]
    public float NoiseAndLoss()
    {
        using var scope = NewDisposeScope();
        var batch = NoisedBatch.Create(_images, _schedule, _timesteps, _noise);
        return MultiResolutionLoss.Compute(new MultiResolutionLossOptions(), batch, _outputs).Total.item<float>();
    }
}
