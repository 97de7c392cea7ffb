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
