using System.IO.Compression;
using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Reads PyTorch's zip checkpoints: every entry lies in one top-level folder; <c>data.pkl</c> is the
/// pickle, <c>data/&lt;key&gt;</c> the raw little-endian bytes of each storage, <c>byteorder</c> (when
/// present) says "little".
/// </summary>
internal sealed class ZipCheckpointReader : IStorageSource
{
    /// <summary>Deflate cannot expand data more than about 1032 times: a bound on any entry's claimed size.</summary>
    private const long MaxDeflateRatio = 1032;

    private readonly string _filePath;
    private readonly long _fileLength;
    private readonly Dictionary<string, ZipArchiveEntry> _storages;

    private ZipCheckpointReader(string filePath, long fileLength, Dictionary<string, ZipArchiveEntry> storages)
    {
        _filePath = filePath;
        _fileLength = fileLength;
        _storages = storages;
    }

    /// <summary>Reads the archive's pickle; the returned source reads storages from <paramref name="archive"/> later.</summary>
    public static (object? Root, IStorageSource Storages) Read(ZipArchive archive, long fileLength, string filePath, CheckpointReadOptions options)
    {
        var entries = archive.Entries;
        if (entries.Count == 0)
        {
            throw new CheckpointFormatException(filePath, "the zip archive is empty");
        }
        var first = entries[0].FullName;
        var slash = first.IndexOf('/');
        if (slash <= 0)
        {
            throw new CheckpointFormatException(filePath, $"zip entry '{first}' is not inside a top-level folder, as torch.save writes them");
        }
        var folder = first[..(slash + 1)];
        var storagePrefix = folder + "data/";

        var storages = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.FullName.StartsWith(storagePrefix, StringComparison.Ordinal)
                && !storages.TryAdd(entry.FullName[storagePrefix.Length..], entry))
            {
                throw new CheckpointFormatException(filePath, $"zip entry '{entry.FullName}' appears twice");
            }
        }

        CheckByteOrder(archive.GetEntry(folder + "byteorder"), fileLength, filePath);
        var pickleName = folder + "data.pkl";
        var pickleEntry = archive.GetEntry(pickleName)
            ?? throw new CheckpointFormatException(filePath, $"the zip archive has no '{pickleName}'");
        CheckPlausible(pickleEntry, fileLength, filePath);
        if (pickleEntry.Length > options.MaxPickleBytes)
        {
            throw new CheckpointFormatException(filePath,
                $"'{pickleName}' is {pickleEntry.Length} bytes, more than the {options.MaxPickleBytes} allowed");
        }

        var pickle = ReadAll(pickleEntry, filePath);
        var reader = new ZipCheckpointReader(filePath, fileLength, storages);
        var registry = new StorageRegistry(legacy: false, reader.CheckStorageEntry);
        using var pickleStream = new MemoryStream(pickle, writable: false);
        var root = PickleReader.Read(new PickleInput(pickleStream, filePath, pickleName), options, registry.Load);
        return (root, reader);
    }

    public void Fill(PickledStorage root, torch.Tensor destination)
    {
        var entry = _storages[root.RootKey];
        using var stream = entry.Open();
        TensorBytes.ReadInto(stream, destination,
            truncated: ex => new CheckpointFormatException(_filePath, $"zip entry '{entry.FullName}' ended before its {entry.Length} bytes", ex),
            invalidBool: (index, value) => new CheckpointFormatException(_filePath,
                $"zip entry '{entry.FullName}': bool element {index} holds byte {value}, but bool bytes must be 0 or 1"));
    }

    /// <summary>Each storage the pickle names must have an entry holding exactly its bytes.</summary>
    private void CheckStorageEntry(PickledStorage root, PickleFailure failure)
    {
        if (!_storages.TryGetValue(root.RootKey, out var entry))
        {
            throw failure.Format($"storage '{root.RootKey}' has no zip entry 'data/{root.RootKey}'");
        }
        var expected = root.RootElementCount * StorageElements.Size(root.ScalarType);
        if (entry.Length != expected)
        {
            throw failure.Format(
                $"storage '{root.RootKey}' ({root.RootElementCount} × {root.ScalarType}) needs {expected} bytes but its zip entry holds {entry.Length}");
        }
        CheckPlausible(entry, _fileLength, _filePath);
    }

    /// <summary>An entry cannot claim more bytes than its compressed data could expand to.</summary>
    private static void CheckPlausible(ZipArchiveEntry entry, long fileLength, string filePath)
    {
        if (entry.CompressedLength > fileLength || entry.Length > entry.CompressedLength * MaxDeflateRatio + 1024)
        {
            throw new CheckpointFormatException(filePath,
                $"zip entry '{entry.FullName}' claims {entry.Length} bytes from {entry.CompressedLength} compressed bytes in a {fileLength}-byte file");
        }
    }

    private static void CheckByteOrder(ZipArchiveEntry? entry, long fileLength, string filePath)
    {
        if (entry is null)
        {
            return; // Older writers omit it; their data is little-endian.
        }
        CheckPlausible(entry, fileLength, filePath);
        if (entry.Length > 16)
        {
            throw new CheckpointFormatException(filePath, $"'{entry.FullName}' is {entry.Length} bytes; expected 'little'");
        }
        var text = System.Text.Encoding.ASCII.GetString(ReadAll(entry, filePath));
        if (text != "little")
        {
            throw new CheckpointFormatException(filePath, $"'{entry.FullName}' says '{text}'; only little-endian checkpoints are supported");
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry, string filePath)
    {
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException ex)
        {
            throw new CheckpointFormatException(filePath, $"zip entry '{entry.FullName}' ended before its {entry.Length} bytes", ex);
        }
        return bytes;
    }
}
