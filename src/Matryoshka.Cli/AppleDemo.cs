using Matryoshka.Sampling;

namespace Matryoshka.Cli;

/// <summary>
/// The settings of ml-mdm's web demo (<c>generate_sample.py</c>), which <c>generate --t5</c> uses for Apple's released
/// models unless told otherwise: DDIM with η 0, 50 steps, guidance 7.5, DeepFloyd's dynamic thresholding
/// (quantile 0.95, at most 1.5) and seed 137; and where the tool keeps ml-mdm's <c>t5.vocab</c>.
/// </summary>
internal sealed record AppleDemo(string Sampler, int Steps, double Guidance, Thresholding Thresholding, ulong Seed)
{
    public static AppleDemo Preset { get; } = new("ddim", 50, 7.5, Thresholding.DeepFloyd, 137);

    /// <summary>ml-mdm's vocabulary, copied next to the tool by the build (models/t5/t5.vocab in the repository).</summary>
    public static string VocabularyPath => Path.Combine(AppContext.BaseDirectory, "models", "t5", "t5.vocab");
}
