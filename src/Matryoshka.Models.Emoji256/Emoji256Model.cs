using Matryoshka.Pipelines;

namespace Matryoshka.Models.Emoji256;

/// <summary>
/// A preview of the pretrained emoji model at 256×256: three nested UNets (256² around 64² around 16²), the emoji-64
/// model grown by one level and trained on 256² renders of the same Noto emoji. Its 64² level draws as emoji-64 does;
/// its 256² level is not yet as good as a bicubic upscale of that level (grainy, washed-out colour; the repository's
/// docs/evaluation.md has the figures), so emoji-64 stays the default model. Its folder (weights, config and
/// manifest) is copied next to the application by the build; <see cref="LoadPipeline"/> is all a caller needs:
/// <code>
/// using var pipeline = Emoji256Model.LoadPipeline();
/// using var result = pipeline.Generate(new GenerationRequest("a red apple") { Seed = 1 });
/// result.SaveAsPng("apple.png");
/// </code>
/// Its sampling settings (DPM-Solver++ 2M, 20 steps, guidance 5, standard pixels) come from its manifest.
/// </summary>
public static class Emoji256Model
{
    /// <summary>The model's name, as its manifest gives it.</summary>
    public const string Name = "emoji-256";

    /// <summary>Where the build put the model folder (next to the application).</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "models", Name);

    /// <summary>
    /// A ready pipeline with the model's tuned settings and its text encoder; <paramref name="configure"/> may
    /// override any setting (device, sampler, steps, …).
    /// </summary>
    /// <exception cref="MatryoshkaException">The model folder is missing from the output or damaged.</exception>
    public static MatryoshkaPipeline LoadPipeline(Action<MatryoshkaPipelineBuilder>? configure = null) =>
        MatryoshkaPipeline.FromPretrained(Folder, configure);

    /// <summary><see cref="LoadPipeline"/> on a worker thread.</summary>
    public static Task<MatryoshkaPipeline> LoadPipelineAsync(Action<MatryoshkaPipelineBuilder>? configure = null, CancellationToken cancellationToken = default) =>
        MatryoshkaPipeline.FromPretrainedAsync(Folder, configure, cancellationToken);
}
