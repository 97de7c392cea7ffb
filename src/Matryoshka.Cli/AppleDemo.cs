using Matryoshka.Interop.MlMdm.Presets;
using Matryoshka.Pipelines;


namespace Matryoshka.Cli;

/// <summary>
/// What <c>generate --t5</c> uses for Apple's released models unless told otherwise: the library's
/// <see cref="MlMdmPresets.WebDemo"/>, and the copy of ml-mdm's <c>t5.vocab</c> that ships with the tool.
/// </summary>
internal static class AppleDemo
{
    /// <summary>ml-mdm's web-demo settings.</summary>
    public static SamplingPreset Preset => MlMdmPresets.WebDemo;

    /// <summary>ml-mdm's vocabulary, copied next to the tool by the build (models/t5/t5.vocab in the repository): a fact of the tool's layout, not a library setting.</summary>
    public static string VocabularyPath => Path.Combine(AppContext.BaseDirectory, "models", "t5", "t5.vocab");
}
