using Matryoshka.Models.Emoji64;

namespace Matryoshka.Cli;

/// <summary>
/// The shipped emoji model's files and settings (<see cref="Emoji64Model"/>), as compile-time constants for the
/// defaults of <c>eval</c> and <c>experiment</c>, which evaluate models trained like it.
/// </summary>
internal static class EmbeddedModel
{
    /// <summary>Where the build puts the model's files.</summary>
    public static string Folder => Emoji64Model.Folder;

    /// <summary>The ml-mdm model config, with its diffusion_config.</summary>
    public static string ConfigPath => Emoji64Model.ConfigPath;

    /// <summary>The EMA weights.</summary>
    public static string WeightsPath => Emoji64Model.WeightsPath;

    /// <summary>The pixel convention of its training data.</summary>
    public static PixelConvention Pixels => Emoji64Model.Pixels;

    /// <summary>Default sampler for the embedded model.</summary>
    public const string Sampler = Emoji64Model.Sampler;

    /// <summary>Default sampling steps for the embedded model.</summary>
    public const int Steps = Emoji64Model.Steps;

    /// <summary>Default classifier-free guidance scale for the embedded model.</summary>
    public const double Guidance = Emoji64Model.Guidance;

    /// <summary>The caption length (in WordPiece tokens, with [CLS]/[SEP]) it was trained with.</summary>
    public const int MaxTokens = Emoji64Model.MaxTokens;

    /// <summary>The given model files, or the embedded model's when both are left out (one without the other would mix two models).</summary>
    /// <exception cref="ArgumentException">Only one is given, or the embedded model is not in this build.</exception>
    public static (string Config, string Weights) OrGiven(string? config, string? weights)
    {
        if ((config is null) != (weights is null))
            throw new ArgumentException("give both --config and --weights, or neither to use the embedded emoji model");
        if (config is not null) return (config, weights!);
        if (!File.Exists(ConfigPath) || !File.Exists(WeightsPath))
            throw new ArgumentException($"the embedded model is not in this build ({Folder}); give --config and --weights");
        return (ConfigPath, WeightsPath);
    }
}
