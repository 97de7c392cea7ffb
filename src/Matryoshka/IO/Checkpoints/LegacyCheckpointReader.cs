using System.Buffers.Binary;
using System.Numerics;
using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Reads the stream <c>torch.save</c> wrote before PyTorch 1.6: pickles of the magic number, the
/// protocol version and system info, then the main pickle, then the list of storage keys, then each
/// storage in that order as a little-endian int64 element count followed by its raw bytes.
/// </summary>
internal sealed class LegacyCheckpointReader : IStorageSource
{
    private static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);
    private const long ProtocolVersion = 1001;

    private readonly Stream _stream;
    private readonly string _filePath;
    private readonly Dictionary<string, long> _dataOffsets;

    private LegacyCheckpointReader(Stream stream, string filePath, Dictionary<string, long> dataOffsets)
    {
        _stream = stream;
        _filePath = filePath;
        _dataOffsets = dataOffsets;
    }

    /// <summary>
    /// Reads the pickles and locates every storage; the returned source reads storages from
    /// <paramref name="stream"/> (seekable, positioned at the start of the file) later.
    /// </summary>
    public static (object? Root, IStorageSource Storages) Read(Stream stream, string filePath, CheckpointReadOptions options)
    {
        CheckMagicNumber(stream, filePath, options);
        var version = PickleReader.Read(new PickleInput(stream, filePath, "protocol version pickle"), options, null);
        if (version is not long number || number != ProtocolVersion)
        {
            throw new CheckpointFormatException(filePath, $"legacy protocol version is {Describe(version)}; only {ProtocolVersion} is supported");
        }
        // System info (endianness, C type sizes): storages in this format are always written little-endian.
        var systemInfo = PickleReader.Read(new PickleInput(stream, filePath, "system info pickle"), options, null);
        if (systemInfo is not PickleDict)
        {
            throw new CheckpointFormatException(filePath, $"legacy system info is a {PickleTypeNames.Of(systemInfo)}, not a dict");
        }

        var registry = new StorageRegistry(legacy: true);
        var root = PickleReader.Read(new PickleInput(stream, filePath, "main pickle"), options, registry.Load);
        var keys = PickleReader.Read(new PickleInput(stream, filePath, "storage key list"), options, null);
        var offsets = LocateStorages(stream, filePath, keys, registry);
        return (root, new LegacyCheckpointReader(stream, filePath, offsets));
    }

    public void Fill(PickledStorage root, torch.Tensor destination)
    {
        _stream.Position = _dataOffsets[root.RootKey];
        TensorBytes.ReadInto(_stream, destination,
            truncated: ex => new CheckpointFormatException(_filePath, $"file ended inside storage '{root.RootKey}'", ex),
            invalidBool: (index, value) => new CheckpointFormatException(_filePath,
                $"storage '{root.RootKey}': bool element {index} holds byte {value}, but bool bytes must be 0 or 1"));
    }

    private static void CheckMagicNumber(Stream stream, string filePath, CheckpointReadOptions options)
    {
        object? magic;
        try
        {
            magic = PickleReader.Read(new PickleInput(stream, filePath, "first pickle"), options, null);
        }
        catch (CheckpointFormatException ex) when (ex is not UnsafeCheckpointException)
        {
            throw new CheckpointFormatException(filePath,
                $"not a PyTorch checkpoint: neither a zip archive nor a legacy torch.save stream ({ex.Problem})", ex);
        }
        if (!(magic is BigInteger value && value == MagicNumber))
        {
            throw new CheckpointFormatException(filePath,
                "not a PyTorch checkpoint: neither a zip archive nor a legacy torch.save stream (its first pickle is not torch's magic number)");
        }
    }

    /// <summary>
    /// Walks the storages after the pickles, checking each against the pickle's description, and notes
    /// where each one's bytes begin. Nothing is allocated for their contents.
    /// </summary>
    private static Dictionary<string, long> LocateStorages(Stream stream, string filePath, object? keys, StorageRegistry registry)
    {
        if (keys is not List<object?> keyList)
        {
            throw new CheckpointFormatException(filePath, $"the storage key list is a {PickleTypeNames.Of(keys)}, not a list");
        }
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        Span<byte> countBytes = stackalloc byte[8];
        foreach (var item in keyList)
        {
            if (item is not string key || !registry.Roots.TryGetValue(key, out var root))
            {
                throw new CheckpointFormatException(filePath, $"the storage key list names {Describe(item)}, which no tensor uses");
            }
            if (offsets.ContainsKey(key))
            {
                throw new CheckpointFormatException(filePath, $"the storage key list names '{key}' twice");
            }
            if (stream.Length - stream.Position < countBytes.Length)
            {
                throw new CheckpointFormatException(filePath, $"file ended before the element count of storage '{key}' (truncated?)");
            }
            stream.ReadExactly(countBytes);
            var count = BinaryPrimitives.ReadInt64LittleEndian(countBytes);
            if (count != root.RootElementCount)
            {
                throw new CheckpointFormatException(filePath, $"storage '{key}' holds {count} elements but the pickle says {root.RootElementCount}");
            }
            var bytes = count * StorageElements.Size(root.ScalarType); // Cannot overflow: the registry checked it.
            if (bytes > stream.Length - stream.Position)
            {
                throw new CheckpointFormatException(filePath,
                    $"storage '{key}' needs {bytes} bytes but only {stream.Length - stream.Position} remain (truncated?)");
            }
            offsets.Add(key, stream.Position);
            stream.Seek(bytes, SeekOrigin.Current);
        }
        foreach (var key in registry.Roots.Keys)
        {
            if (!offsets.ContainsKey(key))
            {
                throw new CheckpointFormatException(filePath, $"storage '{key}' is used by a tensor but the file holds no data for it");
            }
        }
        return offsets;
    }

    private static string Describe(object? value) => value switch
    {
        string text => $"'{(text.Length <= 40 ? text : text[..40] + "…")}'",
        long number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"a {PickleTypeNames.Of(value)}",
    };
}
