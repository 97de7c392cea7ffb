using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Matryoshka.IO.Configuration;

/// <summary>
/// Reads configuration files (JSON, or YAML as PyYAML's <c>safe_load</c> sees it) into a JSON tree, within limits;
/// every failure is a <see cref="ModelConfigurationException"/> naming the file. ml-mdm's model and diffusion configs
/// and Hugging Face's T5 config.json are read through here.
/// </summary>
internal static class ConfigFiles
{
    /// <summary>Reads a JSON config file into a tree (depth-limited).</summary>
    public static JsonObject ReadJson(string path)
    {
        JsonNode? root;
        try
        {
            using var stream = File.OpenRead(path);
            root = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ModelConfigurationException(path, $"is not valid JSON: {e.Message}");
        }
        return root as JsonObject ?? throw new ModelConfigurationException(path, "must hold a JSON object");
    }

    /// <summary>Reads a YAML config file (size-limited, strict UTF-8) into a JSON tree; <paramref name="warn"/> hears of repeated keys.</summary>
    public static JsonObject ReadYaml(string path, Action<string>? warn = null)
    {
        var limits = YamlConfigLimits.Default;
        long length = new FileInfo(path).Length;
        if (length > limits.MaxBytes)
            throw new ModelConfigurationException(path, string.Create(CultureInfo.InvariantCulture, $"is {length:N0} bytes; a model config may have at most {limits.MaxBytes:N0}"));
        try
        {
            using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            return YamlConfigReader.Read(reader.ReadToEnd(), path, limits, warn);
        }
        catch (DecoderFallbackException)
        {
            throw new ModelConfigurationException(path, "is not valid UTF-8 text");
        }
    }
}
