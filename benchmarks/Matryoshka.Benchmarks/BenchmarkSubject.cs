using Matryoshka.Conditioning;
using Matryoshka.Models;
using Matryoshka.Schedules;
using Matryoshka.Training;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>A benchmark model built on the CPU in the requested dtype, with seeded random text conditioning.</summary>
internal sealed class BenchmarkSubject : IDisposable
{
    public BenchmarkSubject(string model, string dtype, int batch)
    {
        Config = BenchmarkModels.Get(model);
        DType = ParseDType(dtype);
        Model = new NestedUNet(Config, CPU, DType);
        var g = new Generator(0);
        if (Config.TextEmbeddingDim > 0)
            Text = new TextConditioning(
                randn(new long[] { batch, BenchmarkModels.TextLength, Config.TextEmbeddingDim }, generator: g).to(DType).DetachFromDisposeScope(),
                ones(batch, BenchmarkModels.TextLength).DetachFromDisposeScope());
    }

    public ModelConfig Config { get; }

    public ScalarType DType { get; }

    public NestedUNet Model { get; }

    /// <summary>Conditioning for <c>batch</c> samples; null for unconditional models.</summary>
    public TextConditioning? Text { get; }

    public IReadOnlyList<int> Resolutions => Model.Plan.Resolutions;

    /// <summary>The released models' schedule (shifted squared cosine, 1000 steps) over this model's levels.</summary>
    public MultiResolutionSchedule Schedule() => new(NoiseSchedules.CosineCapped(1000), Resolutions.ToArray(), 1);

    /// <summary>
    /// Seeded inputs for <paramref name="batch"/> samples, detached from every dispose scope: one image a level
    /// (outermost first, each drawn by <paramref name="draw"/> from its shape), then timesteps in [1, 1000), all from
    /// one generator with seed 0.
    /// </summary>
    public (Tensor[] Inputs, Tensor Timesteps) SeededInputs(int batch, Func<long[], Generator, Tensor> draw)
    {
        var g = new Generator(0);
        var inputs = Resolutions.Select(r => draw(new long[] { batch, 3, r, r }, g).DetachFromDisposeScope()).ToArray();
        return (inputs, randint(1, 1000, new long[] { batch }, generator: g).DetachFromDisposeScope());
    }

    /// <summary>Every level's output for <paramref name="inputs"/>, with this subject's text conditioning.</summary>
    public Tensor[] Forward(IReadOnlyList<Tensor> inputs, Tensor timesteps) => Model.Forward(inputs, timesteps, Text?.Embeddings, Text?.Mask);

    /// <summary>The forward benchmarks' operation: one pass in inference mode in its own dispose scope; returns the batch size.</summary>
    public long InferenceForward(IReadOnlyList<Tensor> inputs, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        return Forward(inputs, timesteps)[0].shape[0];
    }

    /// <summary>A trainer as the benchmarks and the memory probe use it (AdamW, clipping, EMA; fixed seed).</summary>
    public Trainer CreateTrainer() => new(Model, Schedule(), new TrainerOptions { LearningRate = 1e-4, EmaDecay = 0.999, Seed = 1 });

    public static ScalarType ParseDType(string dtype) => dtype switch
    {
        "float32" => ScalarType.Float32,
        "bfloat16" => ScalarType.BFloat16,
        _ => throw new ArgumentException($"unknown benchmark dtype '{dtype}'"),
    };

    /// <summary>Counted FLOPs of one forward pass of <paramref name="model"/> over <paramref name="batch"/> samples.</summary>
    public static double ForwardFlops(string model, int batch) =>
        batch * (double)ModelFlops.Of(BenchmarkModels.Get(model), BenchmarkModels.TextLength).Forward;

    public void Dispose()
    {
        Model.Dispose();
        Text?.Embeddings.Dispose();
        Text?.Mask.Dispose();
    }
}
