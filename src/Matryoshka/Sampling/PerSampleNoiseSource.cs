using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// Noise with one seed per sample: sample b's noise comes from its own CPU generator, so an image depends only on
/// its own seed, whatever else is in the batch (a batch of seeds [s₀, s₁] reproduces single generations with s₀
/// and s₁, up to float rounding of batched arithmetic).
/// </summary>
public sealed class PerSampleNoiseSource : INoiseSource
{
    private readonly GeneratorNoiseSource[] _sources;

    /// <summary>Creates a source with one seed per sample.</summary>
    public PerSampleNoiseSource(IReadOnlyList<ulong> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0) throw new ArgumentException("At least one seed is required.", nameof(seeds));
        _sources = seeds.Select(s => new GeneratorNoiseSource(s)).ToArray();
    }

    /// <inheritdoc />
    public Tensor Initial(int level, Tensor like) => PerSample(like, (source, row) => source.Initial(level, row));

    /// <inheritdoc />
    public Tensor Step(int step, int level, Tensor like) => PerSample(like, (source, row) => source.Step(step, level, row));

    private Tensor PerSample(Tensor like, Func<GeneratorNoiseSource, Tensor, Tensor> draw)
    {
        if (like.shape[0] != _sources.Length)
            throw new InvalidOperationException($"{_sources.Length} seeds were given for a batch of {like.shape[0]}.");
        using var scope = NewDisposeScope();
        var rows = new Tensor[_sources.Length];
        for (int b = 0; b < rows.Length; b++)
        {
            using var row = like.narrow(0, b, 1);
            rows[b] = draw(_sources[b], row);
        }
        return cat(rows, 0).MoveToOuterDisposeScope();
    }
}
