using System.Text.Json;
using System.Text.Json.Nodes;

namespace Matryoshka.IO;

/// <summary>
/// The index of a sharded Hugging Face checkpoint (<c>model.safetensors.index.json</c>): <c>weight_map</c> names, for
/// every tensor, the shard file in the same folder that holds it. Validated when read: shard names must be plain
/// <c>.safetensors</c> file names (no folders, so an index cannot point outside its folder).
/// </summary>
public sealed class SafetensorsIndex
{
    /// <summary>The file name transformers gives the index.</summary>
    public const string DefaultFileName = "model.safetensors.index.json";

    /// <summary>Largest index file read (a 24-layer T5's index is about 40 KB).</summary>
    public const long MaxIndexBytes = 64L << 20;

    private SafetensorsIndex(string path, IReadOnlyDictionary<string, string> weightMap)
    {
        Path = path;
        WeightMap = weightMap;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Shards = weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => System.IO.Path.Combine(folder, name)).ToArray();
    }

    /// <summary>The index file.</summary>
    public string Path { get; }

    /// <summary>Tensor name → shard file name (relative to the index's folder).</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>Full paths of the shard files, each once, in name order.</summary>
    public IReadOnlyList<string> Shards { get; }

    /// <summary>Reads and validates an index file.</summary>
    /// <exception cref="SafetensorsCheckpointException">The file is missing, too large, not JSON, or its <c>weight_map</c> is malformed.</exception>
    public static SafetensorsIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new SafetensorsCheckpointException(path, "index file not found");
        long length = new FileInfo(path).Length;
        if (length > MaxIndexBytes) throw new SafetensorsCheckpointException(path, $"index is {length} bytes, more than the {MaxIndexBytes} accepted");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path), documentOptions: new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new SafetensorsCheckpointException(path, $"is not valid JSON: {e.Message}", e);
        }
        if (root is not JsonObject top) throw new SafetensorsCheckpointException(path, "must hold a JSON object");
        if (!top.TryGetPropertyValue("weight_map", out var mapNode) || mapNode is not JsonObject map)
            throw new SafetensorsCheckpointException(path, "has no \"weight_map\" object");
        if (map.Count == 0) throw new SafetensorsCheckpointException(path, "\"weight_map\" is empty");

        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in map)
        {
            if (name.Length == 0) throw new SafetensorsCheckpointException(path, "\"weight_map\" has an empty tensor name");
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                throw new SafetensorsCheckpointException(path, $"weight_map['{name}'] must be a shard file name; got {value?.ToJsonString() ?? "null"}");
            var file = v.GetValue<string>();
            if (!IsPlainShardName(file))
                throw new SafetensorsCheckpointException(path, $"weight_map['{name}'] = '{file}' is not a plain .safetensors file name in the index's folder");
            weightMap.Add(name, file);
        }
        return new SafetensorsIndex(path, weightMap);
    }

    private static bool IsPlainShardName(string file) =>
        file.EndsWith(".safetensors", StringComparison.Ordinal)
        && file.IndexOfAny(new[] { '/', '\\', ':', '\0' }) < 0
        && !file.StartsWith('.')
        && file == System.IO.Path.GetFileName(file);
}
