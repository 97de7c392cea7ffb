using Matryoshka.IO.Configuration;
using Matryoshka.Models;

namespace Matryoshka.Interop.MlMdm;

public static partial class MlMdmModelConfig
{
    /// <summary>
    /// Reads one of ml-mdm's YAML model configs (e.g. <c>configs/models/cc12m_256x256.yaml</c>) as ml-mdm's
    /// <c>yaml.safe_load</c> sees it: a repeated key takes its last value, and scalars are typed as PyYAML types them
    /// (so <c>None</c> is the string "None", which ml-mdm's optional fields treat as absent).
    /// </summary>
    /// <param name="path">The file (at most 1 MiB of UTF-8).</param>
    /// <param name="textEmbeddingDim">
    /// The text width. The released configs say <c>conditioning_feature_dim: -1</c> because ml-mdm sets it from the
    /// text encoder at run time: pass 2048 for their flan-t5-xl; without it the model is unconditioned.
    /// </param>
    /// <param name="warnings">Told of each key repeated in one mapping ("file: line N: key 'a.b' repeats line M; …"),
    /// which PyYAML accepts silently, keeping the last value, as this reader does.</param>
    /// <exception cref="ModelConfigurationException">The file is too large, not valid YAML, nested or aliased beyond
    /// the limits, or describes an invalid model; the message names the file and line, or the config field.</exception>
    public static ModelConfig FromYamlFile(string path, int? textEmbeddingDim = null, Action<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromJson(ConfigFiles.ReadYaml(path, warnings), textEmbeddingDim);
    }

    /// <summary>Reads an ml-mdm YAML model config from text; see <see cref="FromYamlFile"/>.</summary>
    /// <param name="yaml">The YAML text (at most 1 Mi characters).</param>
    /// <param name="textEmbeddingDim">The text width, when the config leaves it to run time (-1).</param>
    /// <exception cref="ModelConfigurationException">The text or the model it describes is invalid.</exception>
    public static ModelConfig FromYaml(string yaml, int? textEmbeddingDim = null) =>
        FromJson(YamlConfigReader.Read(yaml, "YAML config"), textEmbeddingDim);
}
