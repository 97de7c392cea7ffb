namespace Matryoshka.Cli.Evaluation;

/// <summary>What <c>matryoshka eval</c> measures and how it samples.</summary>
/// <param name="RetrievalQueries">Captions (of distinct, seeded-chosen images) generated for caption retrieval.</param>
/// <param name="FrechetImages">Generated images (and real ones) for FD-ResNet18; the retrieval images are the first of them.</param>
/// <param name="Steps">Sampling steps per image.</param>
/// <param name="Guidance">Classifier-free guidance scale.</param>
/// <param name="Sampler">Sampler name (ddim, ddpm, dpm++2m).</param>
/// <param name="Seed">Seed of the image choice and of every image's noise (image i uses Seed + i).</param>
/// <param name="BatchSize">Images generated per pipeline call (does not change the images: noise is per image).</param>
/// <param name="Device">Where to sample (cpu, cuda, cuda:N); null: the CPU.</param>
internal sealed record EvaluationSettings(
    int RetrievalQueries = 200, int FrechetImages = 1000, int Steps = EmbeddedModel.Steps, double Guidance = EmbeddedModel.Guidance, string Sampler = EmbeddedModel.Sampler,
    ulong Seed = 0, int BatchSize = 16, string? Device = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range for a set of <paramref name="available"/> images.</summary>
    public void Validate(int available)
    {
        if (RetrievalQueries < 1) throw new ArgumentException($"--queries must be at least 1; got {RetrievalQueries}");
        if (FrechetImages < 2) throw new ArgumentException($"--fd-images must be at least 2; got {FrechetImages}");
        if (Math.Max(RetrievalQueries, FrechetImages) > available)
            throw new ArgumentException($"the data folder has {available} captioned images, fewer than --queries {RetrievalQueries} / --fd-images {FrechetImages}");
        if (Steps is < 1 or > 1000) throw new ArgumentException($"--steps must be in [1, 1000]; got {Steps}");
        if (BatchSize is < 1 or > 512) throw new ArgumentException($"--batch must be in [1, 512]; got {BatchSize}");
        if (!double.IsFinite(Guidance) || Guidance < 0) throw new ArgumentException($"--guidance must be a finite number ≥ 0; got {Guidance}");
    }
}
