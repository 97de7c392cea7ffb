using Matryoshka.Guidance;
using Matryoshka.Interop.MlMdm.Presets;
using Matryoshka.Sampling;

namespace Matryoshka.Pipelines;

/// <summary>
/// Generation settings that belong together, such as those a model's authors published with it
/// (<see cref="MlMdmPresets.WebDemo"/>). The sampler, steps, guidance and thresholding go on the builder
/// (<see cref="Configure"/>), the seed on the request (<see cref="ApplyTo"/>).
/// </summary>
/// <param name="Sampler">A sampler name of <see cref="Samplers.Names"/> (<c>ddim</c> is DDIM with η 0).</param>
/// <param name="Steps">Sampling steps.</param>
/// <param name="Guidance">Classifier-free guidance scale.</param>
/// <param name="Thresholding">x₀ thresholding while sampling.</param>
/// <param name="Seed">The seed of the noise generator.</param>
public sealed record SamplingPreset(string Sampler, int Steps, double Guidance, Thresholding Thresholding, ulong Seed)
{
    /// <summary>
    /// Sets the sampler, steps, guidance and thresholding on <paramref name="builder"/>. These are explicit builder
    /// settings: they override a model folder's manifest, and a later <c>With…</c> call overrides them.
    /// </summary>
    /// <returns>The same builder.</returns>
    public MatryoshkaPipelineBuilder Configure(MatryoshkaPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithSampler(Samplers.FromName(Sampler)).WithSteps(Steps)
            .WithGuidance(new ClassifierFreeGuidanceOptions { Scale = Guidance }).WithThresholding(Thresholding);
    }

    /// <summary>
    /// <paramref name="request"/> with this preset's seed (unless it has a seed or per-sample seeds), steps and guidance
    /// scale where it leaves them unset; what the request sets stays.
    /// </summary>
    public GenerationRequest ApplyTo(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with
        {
            Seed = request.Seed ?? (request.Seeds is null ? Seed : null),
            Steps = request.Steps ?? Steps,
            GuidanceScale = request.GuidanceScale ?? Guidance,
        };
    }
}
