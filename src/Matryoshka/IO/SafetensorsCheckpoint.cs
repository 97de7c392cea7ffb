using TorchSharp;

namespace Matryoshka.IO;

/// <summary>
/// The tensors of a checkpoint stored as one safetensors file or as Hugging Face shards
/// (<c>model.safetensors.index.json</c> plus the files its <c>weight_map</c> names), seen as one set of names. Opening
/// reads and validates every header (nothing else); <see cref="ReadEach"/> then reads the tensors shard by shard, one
/// at a time, so a large checkpoint is never in memory at once.
/// </summary>
public sealed class SafetensorsCheckpoint
{
    /// <summary>The file name transformers gives unsharded weights.</summary>
    public const string SingleFileName = "model.safetensors";

    private readonly Dictionary<string, string> _fileOf;

    private SafetensorsCheckpoint(string source, IReadOnlyList<string> files, Dictionary<string, SafetensorsTensorInfo> tensors, Dictionary<string, string> fileOf)
    {
        Source = source;
        Files = files;
        Tensors = tensors;
        _fileOf = fileOf;
    }

    /// <summary>What was opened: the safetensors file or the index.</summary>
    public string Source { get; }

    /// <summary>The safetensors files, in reading order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every tensor by name (for shards: those the index lists), with its dtype and shape.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors { get; }

    /// <summary>
    /// Opens <paramref name="path"/>: a <c>.safetensors</c> file, a shard index (<c>*.json</c>), or a folder holding
    /// <c>model.safetensors</c> or <c>model.safetensors.index.json</c> (the single file first, as transformers prefers it).
    /// </summary>
    /// <exception cref="SafetensorsCheckpointException">The folder holds neither, the index is malformed, a shard is missing or lacks a tensor the index puts in it.</exception>
    /// <exception cref="SafetensorsFormatException">A safetensors file is invalid.</exception>
    public static SafetensorsCheckpoint Open(string path, SafetensorsReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            var single = Path.Combine(path, SingleFileName);
            var index = Path.Combine(path, SafetensorsIndex.DefaultFileName);
            if (File.Exists(single)) path = single;
            else if (File.Exists(index)) path = index;
            else throw new SafetensorsCheckpointException(path, $"holds neither {SingleFileName} nor {SafetensorsIndex.DefaultFileName}");
        }
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? OpenIndex(SafetensorsIndex.Load(path), options) : OpenFile(path, options);
    }

    /// <summary>The file holding <paramref name="name"/>.</summary>
    public string FileOf(string name) => _fileOf[name];

    /// <summary>
    /// Reads the tensors <paramref name="include"/> accepts, file by file and one at a time, handing each to
    /// <paramref name="consume"/>, which must copy what it keeps: each tensor is disposed when it returns.
    /// </summary>
    public void ReadEach(Func<string, bool> include, Action<SafetensorsTensorInfo, torch.Tensor> consume, torch.Device? device = null, SafetensorsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(include);
        foreach (var file in Files)
            SafetensorsReader.ReadEach(file, consume, name => _fileOf.TryGetValue(name, out var owner) && owner == file && include(name), device, options);
    }

    private static SafetensorsCheckpoint OpenFile(string path, SafetensorsReadOptions? options)
    {
        if (!File.Exists(path)) throw new SafetensorsCheckpointException(path, "weights file not found");
        var header = SafetensorsReader.ReadHeader(path, options);
        var tensors = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        return new SafetensorsCheckpoint(path, new[] { path }, tensors, tensors.Keys.ToDictionary(k => k, _ => path, StringComparer.Ordinal));
    }

    private static SafetensorsCheckpoint OpenIndex(SafetensorsIndex index, SafetensorsReadOptions? options)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(index.Path))!;
        var headers = new Dictionary<string, SafetensorsHeader>(StringComparer.Ordinal);
        foreach (var shard in index.Shards)
        {
            if (!File.Exists(shard))
                throw new SafetensorsCheckpointException(index.Path, $"shard '{Path.GetFileName(shard)}' named in weight_map is missing");
            headers.Add(shard, SafetensorsReader.ReadHeader(shard, options));
        }
        var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
        var fileOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, shardName) in index.WeightMap)
        {
            var shard = Path.Combine(folder, shardName);
            tensors.Add(name, headers[shard].Find(name)
                ?? throw new SafetensorsCheckpointException(index.Path, $"weight_map puts '{name}' in '{shardName}', which has no such tensor"));
            fileOf.Add(name, shard);
        }
        return new SafetensorsCheckpoint(index.Path, index.Shards, tensors, fileOf);
    }
}
