using Matryoshka.Models;


namespace Matryoshka.Interop.MlMdm;

/// <summary>Reads a model config from a file, choosing the reader by extension.</summary>
public static class ModelConfigFiles
{
    /// <summary>Reads an ml-mdm config: a <c>config.json</c> (as in the parity fixtures) or a YAML model config (as released).</summary>
    /// <param name="path">The file.</param>
    /// <param name="textEmbeddingDim">The text width when the file does not fix it.</param>
    /// <exception cref="ModelConfigurationException">The file is unreadable, of an unknown kind, or invalid.</exception>
    /// <param name="warnings">Told of each key a YAML config repeats (see <see cref="MlMdmModelConfig.FromYamlFile"/>).</param>
    public static ModelConfig Load(string path, int? textEmbeddingDim = null, Action<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ModelConfigurationException(path, "file not found");
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => MlMdmModelConfig.FromJsonFile(path, textEmbeddingDim),
            ".yaml" or ".yml" => MlMdmModelConfig.FromYamlFile(path, textEmbeddingDim, warnings),
            var other => throw new ModelConfigurationException(path, $"unsupported config file type '{other}' (expected .json, .yaml or .yml)"),
        };
    }
}
