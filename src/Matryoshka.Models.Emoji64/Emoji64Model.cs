using Matryoshka.Pipelines;

namespace Matryoshka.Models.Emoji64;

/// <summary>
/// The pretrained emoji model: a 64×64 UNet nested around a 16×16 one, trained on Noto emoji with
/// all-MiniLM-L6-v2 captions. Its folder (weights, config and manifest) is copied next to the application by the
/// build; <see cref="LoadPipeline"/> is all a caller needs:
/// <code>
/// using var pipeline = Emoji64Model.LoadPipeline();
/// using var result = pipeline.Generate(new GenerationRequest("a red apple") { Seed = 1 });
/// result.SaveAsPng("apple.png");
/// </code>
/// </summary>
public static class Emoji64Model
{
    /// <summary>The model's name, as its manifest gives it.</summary>
    public const string Name = "emoji-64";

    /// <summary>Where the build put the model folder (next to the application).</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "models", Name);

    /// <summary>The model's ml-mdm config, with its diffusion_config.</summary>
    public static string ConfigPath => Path.Combine(Folder, "model.yaml");

    /// <summary>The model's EMA weights.</summary>
    public static string WeightsPath => Path.Combine(Folder, "ema.safetensors");

    // The manifest (matryoshka.json) is the source of truth for the settings below; a test keeps them equal to it.
    // They are constants so that tools can use them as defaults of models trained like this one.

    /// <summary>The sampler the model is tuned for: DPM-Solver++ (2M), which reaches the data in few steps.</summary>
    public const string Sampler = "dpm++2m";

    /// <summary>The sampling steps the model is tuned for.</summary>
    public const int Steps = 20;

    /// <summary>The classifier-free guidance scale the model is tuned for.</summary>
    public const double Guidance = 5;

    /// <summary>The caption length (in all-MiniLM-L6-v2 WordPiece tokens, with [CLS]/[SEP]) the model was trained with.</summary>
    public const int MaxTokens = 32;

    /// <summary>The pixel convention of its training data.</summary>
    public static PixelConvention Pixels => PixelConvention.Standard;

    /// <summary>
    /// A ready pipeline with the model's tuned settings (DPM-Solver++ 2M, 20 steps, guidance 5, standard pixels) and
    /// its text encoder; <paramref name="configure"/> may override any setting (device, sampler, steps, …).
    /// </summary>
    /// <exception cref="MatryoshkaException">The model folder is missing from the output or damaged.</exception>
    public static MatryoshkaPipeline LoadPipeline(Action<MatryoshkaPipelineBuilder>? configure = null) =>
        MatryoshkaPipeline.FromPretrained(Folder, configure);

    /// <summary><see cref="LoadPipeline"/> on a worker thread.</summary>
    public static Task<MatryoshkaPipeline> LoadPipelineAsync(Action<MatryoshkaPipelineBuilder>? configure = null, CancellationToken cancellationToken = default) =>
        MatryoshkaPipeline.FromPretrainedAsync(Folder, configure, cancellationToken);
}
