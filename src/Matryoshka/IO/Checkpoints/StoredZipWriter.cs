using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Writes a zip archive the way PyTorch's <c>PyTorchStreamWriter</c> does: every entry stored (not compressed), its
/// data aligned to 64 bytes by an <c>FB</c> padding extra field, CRC-32 checked by readers (miniz verifies it). Sizes
/// and offsets must fit 32 bits (no ZIP64): callers check the total beforehand.
/// </summary>
internal sealed class StoredZipWriter
{
    /// <summary>Entry data starts on multiples of this (torch's <c>kFieldAlignment</c>).</summary>
    public const int Alignment = 64;

    /// <summary>Bytes an entry adds besides its name and data, at most: local + central headers, padding extra.</summary>
    public const int EntryOverhead = LocalHeaderBytes + CentralHeaderBytes + PaddingHeaderBytes + Alignment;

    /// <summary>Bytes of the end-of-central-directory record.</summary>
    public const int EndRecordBytes = 22;

    private const int LocalHeaderBytes = 30;
    private const int CentralHeaderBytes = 46;
    private const int PaddingHeaderBytes = 4;
    private const ushort VersionNeeded = 20;
    private const ushort Utf8Names = 0x0800;
    private const ushort DosDate1980 = (1 << 5) | 1; // 1980-01-01: a fixed, valid date keeps exports reproducible.

    private readonly Stream _output;
    private readonly List<(byte[] Name, uint Crc, uint Size, uint Offset)> _entries = new();
    private long _position;

    public StoredZipWriter(Stream output) => _output = output;

    /// <summary>Adds an entry holding <paramref name="data"/>.</summary>
    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var crc = Crc32.HashToUInt32(data);
        var bytes = data.ToArray();
        Add(name, bytes.Length, crc, stream => stream.Write(bytes));
    }

    /// <summary>Adds an entry of <paramref name="length"/> bytes with checksum <paramref name="crc"/>, written by <paramref name="writeData"/>.</summary>
    public void Add(string name, long length, uint crc, Action<Stream> writeData)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var offset = _position;
        var padding = (int)((Alignment - (offset + LocalHeaderBytes + nameBytes.Length + PaddingHeaderBytes) % Alignment) % Alignment);

        Span<byte> header = stackalloc byte[LocalHeaderBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], VersionNeeded);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], Utf8Names);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], 0); // stored
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], Fit(length, name));
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], Fit(length, name));
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(PaddingHeaderBytes + padding));
        Write(header);
        Write(nameBytes);
        Span<byte> extra = stackalloc byte[PaddingHeaderBytes + padding];
        extra.Fill((byte)'Z');
        extra[0] = (byte)'F';
        extra[1] = (byte)'B';
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)padding);
        Write(extra);

        writeData(_output);
        _position += length;
        _entries.Add((nameBytes, crc, Fit(length, name), Fit(offset, name)));
    }

    /// <summary>Writes the central directory and the end record; the archive is complete afterwards.</summary>
    public void Finish()
    {
        var directoryStart = _position;
        Span<byte> header = stackalloc byte[CentralHeaderBytes];
        foreach (var (name, crc, size, offset) in _entries)
        {
            header.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Utf8Names);
            BinaryPrimitives.WriteUInt16LittleEndian(header[14..], DosDate1980);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], offset);
            Write(header);
            Write(name);
        }
        if (_entries.Count > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{_entries.Count} zip entries need ZIP64, which this writer does not write.");
        }
        Span<byte> end = stackalloc byte[EndRecordBytes];
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], Fit(_position - directoryStart, "central directory"));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], Fit(directoryStart, "central directory"));
        Write(end);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _position += bytes.Length;
    }

    // Callers check the archive's size first; reaching this is a bug, not bad input.
    private static uint Fit(long value, string what) => value is >= 0 and < uint.MaxValue
        ? (uint)value
        : throw new InvalidOperationException($"zip value {value} for '{what}' needs ZIP64, which this writer does not write.");
}
