using System.IO.Compression;
using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// An open checkpoint: its unpickled (inert) content and the storages its tensors come from. The file
/// stays open until disposed, so tensors can be read after the pickle has been examined.
/// </summary>
internal sealed class CheckpointFile : IDisposable
{
    private static ReadOnlySpan<byte> ZipLocalHeader => "PK\x03\x04"u8;
    private static ReadOnlySpan<byte> ZipEmptyArchive => "PK\x05\x06"u8;

    private readonly Stream _stream;
    private readonly ZipArchive? _archive;
    private readonly IStorageSource _storages;

    private CheckpointFile(string path, CheckpointFormat format, object? root, Stream stream, ZipArchive? archive, IStorageSource storages)
    {
        FilePath = path;
        Format = format;
        Root = root;
        _stream = stream;
        _archive = archive;
        _storages = storages;
    }

    public string FilePath { get; }

    public CheckpointFormat Format { get; }

    /// <summary>The unpickled content: plain values, inert objects and tensor descriptions.</summary>
    public object? Root { get; }

    /// <exception cref="CheckpointFormatException">The file is not a checkpoint Matryoshka can read safely.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CheckpointFile Open(string path, CheckpointReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafetensorsReader.ThrowIfBigEndian();
        options ??= CheckpointReadOptions.Default;
        // Buffered: pickles are read opcode by opcode; tensor bytes, read in large chunks, bypass the buffer.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.RandomAccess);
        ZipArchive? archive = null;
        var opened = false;
        try
        {
            CheckpointFile result;
            if (IsZip(file))
            {
                archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
                var (root, storages) = ZipCheckpointReader.Read(archive, file.Length, path, options);
                result = new CheckpointFile(path, CheckpointFormat.Zip, root, file, archive, storages);
            }
            else
            {
                var (root, storages) = LegacyCheckpointReader.Read(file, path, options);
                result = new CheckpointFile(path, CheckpointFormat.Legacy, root, file, null, storages);
            }
            opened = true;
            return result;
        }
        catch (InvalidDataException ex)
        {
            throw CorruptZip(path, ex);
        }
        catch (EndOfStreamException ex)
        {
            throw EndedEarly(path, ex);
        }
        finally
        {
            if (!opened)
            {
                archive?.Dispose();
                file.Dispose();
            }
        }
    }

    /// <summary>Reads the given tensors' storages and builds them, in the given order.</summary>
    public OrderedDictionary<string, torch.Tensor> LoadTensors(IReadOnlyList<KeyValuePair<string, PickledTensor>> tensors)
    {
        try
        {
            return CheckpointTensors.Build(tensors, _storages, FilePath);
        }
        catch (InvalidDataException ex)
        {
            throw CorruptZip(FilePath, ex);
        }
        catch (EndOfStreamException ex)
        {
            throw EndedEarly(FilePath, ex);
        }
    }

    public void Dispose()
    {
        _archive?.Dispose();
        _stream.Dispose();
    }

    private static bool IsZip(FileStream file)
    {
        Span<byte> signature = stackalloc byte[4];
        var read = file.ReadAtLeast(signature, signature.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return read == signature.Length && (signature.SequenceEqual(ZipLocalHeader) || signature.SequenceEqual(ZipEmptyArchive));
    }

    private static CheckpointFormatException CorruptZip(string path, InvalidDataException ex) =>
        new(path, $"not a readable zip archive: {ex.Message}", ex);

    private static CheckpointFormatException EndedEarly(string path, EndOfStreamException ex) =>
        new(path, "file ended early (truncated?)", ex);
}
