namespace Matryoshka.Evaluation;

/// <summary>What an evaluation measures and how it samples. The defaults of the sampling settings are the preset of the
/// shipped emoji-64 model (its manifest; a test keeps them equal), whose training set the evaluation was made for.</summary>
/// <param name="RetrievalQueries">Captions (of distinct, seeded-chosen images) generated for caption retrieval.</param>
/// <param name="FrechetImages">Generated images (and real ones) for FD-ResNet18; the retrieval images are the first of them.</param>
/// <param name="Steps">Sampling steps per image.</param>
/// <param name="Guidance">Classifier-free guidance scale.</param>
/// <param name="Sampler">Sampler name (ddim, ddpm, dpm++2m).</param>
/// <param name="Seed">Seed of the image choice and of every image's noise (image i uses Seed + i).</param>
/// <param name="BatchSize">Images generated per pipeline call (does not change the images: noise is per image).</param>
/// <param name="Device">Where to sample (cpu, cuda, cuda:N); null: the CPU.</param>
/// <param name="UpscaleTo">Upscale every generated image bicubically to this side before measuring it, and read the real
/// images at this side: a baseline for a model of higher resolution (a 64² model's output, 4× upscaled, against the 256²
/// images; applied by <see cref="GenerationEvaluation.ForPipeline(Pipelines.MatryoshkaPipeline, Conditioning.ITextEncoder, EvaluationSettings, IImageFeatureExtractor)"/> and
/// <see cref="GenerationEvaluator"/>). Null: the model's own resolution.</param>
public sealed record EvaluationSettings(
    int RetrievalQueries = 200, int FrechetImages = 1000, int Steps = EvaluationSettings.DefaultSteps, double Guidance = EvaluationSettings.DefaultGuidance,
    string Sampler = EvaluationSettings.DefaultSampler, ulong Seed = 0, int BatchSize = 16, string? Device = null, int? UpscaleTo = null)
{
    /// <summary>The emoji-64 model's sampler: DPM-Solver++ (2M) reaches the data in few steps.</summary>
    public const string DefaultSampler = "dpm++2m";

    /// <summary>The emoji-64 model's sampling steps.</summary>
    public const int DefaultSteps = 20;

    /// <summary>The emoji-64 model's classifier-free guidance scale.</summary>
    public const double DefaultGuidance = 5;

    /// <summary>Checks every setting for a set of <paramref name="available"/> captioned images.</summary>
    /// <exception cref="EvaluationSettingsException">The first setting out of range (named by its <c>eval</c> option).</exception>
    public void Validate(int available)
    {
        if (RetrievalQueries < 1) throw Invalid($"--queries must be at least 1; got {RetrievalQueries}");
        if (FrechetImages < 2) throw Invalid($"--fd-images must be at least 2; got {FrechetImages}");
        if (Math.Max(RetrievalQueries, FrechetImages) > available)
            throw Invalid($"the data folder has {available} captioned images, fewer than --queries {RetrievalQueries} / --fd-images {FrechetImages}");
        if (Steps is < 1 or > 1000) throw Invalid($"--steps must be in [1, 1000]; got {Steps}");
        if (BatchSize is < 1 or > 512) throw Invalid($"--batch must be in [1, 512]; got {BatchSize}");
        if (!double.IsFinite(Guidance) || Guidance < 0) throw Invalid($"--guidance must be a finite number ≥ 0; got {Guidance}");
        if (UpscaleTo is { } side && (side < PixelFeatureExtractor.Side || side > MaxUpscaleSide || side % PixelFeatureExtractor.Side != 0))
            throw Invalid($"--upscale must be a multiple of {PixelFeatureExtractor.Side} in [{PixelFeatureExtractor.Side}, {MaxUpscaleSide}]; got {side}");
    }

    /// <summary>The largest <see cref="UpscaleTo"/> (every real image is held at that side in memory).</summary>
    public const int MaxUpscaleSide = 1024;

    private static EvaluationSettingsException Invalid(string problem) => new(problem);
}
