namespace Matryoshka.IO;

/// <summary>
/// The validated header of a safetensors file: its tensors, its metadata and where the data lies.
/// Obtained from <see cref="SafetensorsReader.ReadHeader(string, SafetensorsReadOptions?)"/>.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>Bytes of the little-endian u64 that precedes the JSON header.</summary>
    public const int LengthPrefixBytes = 8;

    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    internal SafetensorsHeader(
        IReadOnlyList<SafetensorsTensorInfo> tensorsInFileOrder,
        IReadOnlyDictionary<string, string> metadata,
        long dataStart,
        long fileLength)
    {
        Tensors = tensorsInFileOrder;
        Metadata = metadata;
        DataStart = dataStart;
        FileLength = fileLength;
        _byName = tensorsInFileOrder.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// Every tensor, in the order its bytes appear in the data buffer (by <see cref="SafetensorsTensorInfo.Begin"/>).
    /// </summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries, enumerated in file order; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Offset of the data buffer from the start of the file: 8 + the JSON header length.</summary>
    public long DataStart { get; }

    /// <summary>Length of the JSON header in bytes, padding included.</summary>
    public long HeaderLength => DataStart - LengthPrefixBytes;

    /// <summary>Total length of the file in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Length of the data buffer in bytes (exactly covered by the tensors).</summary>
    public long DataLength => FileLength - DataStart;

    /// <summary>Sum of the tensors' element counts.</summary>
    public long TotalElementCount => Tensors.Sum(t => t.ElementCount);

    /// <summary>The tensor called <paramref name="name"/>, or null when the file has none.</summary>
    public SafetensorsTensorInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.GetValueOrDefault(name);
    }
}
