using System.Buffers.Binary;
using System.Text;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// The bytes of one pickle, read from a seekable stream. Every length is checked against what remains
/// of the stream before anything is allocated for it, and every failure becomes a
/// <see cref="CheckpointFormatException"/> that says where in the pickle it happened.
/// </summary>
internal sealed class PickleInput
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly long _start;

    /// <param name="stream">Readable and seekable; the pickle starts at its current position.</param>
    /// <param name="filePath">The file, for error messages.</param>
    /// <param name="pickleName">What the pickle is (for example <c>archive/data.pkl</c>), for error messages.</param>
    public PickleInput(Stream stream, string filePath, string pickleName)
    {
        _stream = stream;
        _start = stream.Position;
        FilePath = filePath;
        PickleName = pickleName;
    }

    public string FilePath { get; }

    public string PickleName { get; }

    /// <summary>Offset of the next byte from the start of the pickle.</summary>
    public long Offset => _stream.Position - _start;

    public long Remaining => _stream.Length - _stream.Position;

    public CheckpointFormatException Error(string problem, long? at = null) =>
        new(FilePath, $"{PickleName}, byte {at ?? Offset}: {problem}");

    public CheckpointFormatException Error(string problem, Exception inner) =>
        new(FilePath, $"{PickleName}, byte {Offset}: {problem}", inner);

    public byte ReadByte()
    {
        var value = _stream.ReadByte();
        if (value < 0)
        {
            throw Truncated(1);
        }
        return (byte)value;
    }

    public ushort ReadUInt16()
    {
        Span<byte> buffer = stackalloc byte[2];
        Fill(buffer);
        return BinaryPrimitives.ReadUInt16LittleEndian(buffer);
    }

    public int ReadInt32()
    {
        Span<byte> buffer = stackalloc byte[4];
        Fill(buffer);
        return BinaryPrimitives.ReadInt32LittleEndian(buffer);
    }

    public uint ReadUInt32()
    {
        Span<byte> buffer = stackalloc byte[4];
        Fill(buffer);
        return BinaryPrimitives.ReadUInt32LittleEndian(buffer);
    }

    public ulong ReadUInt64()
    {
        Span<byte> buffer = stackalloc byte[8];
        Fill(buffer);
        return BinaryPrimitives.ReadUInt64LittleEndian(buffer);
    }

    /// <summary>BINFLOAT: pickle stores doubles big-endian.</summary>
    public double ReadBigEndianDouble()
    {
        Span<byte> buffer = stackalloc byte[8];
        Fill(buffer);
        return BinaryPrimitives.ReadDoubleBigEndian(buffer);
    }

    /// <summary>Reads <paramref name="length"/> bytes, refusing lengths the rest of the input cannot hold.</summary>
    public byte[] ReadBytes(ulong length, string what)
    {
        CheckLength(length, what);
        var bytes = new byte[(int)length];
        Fill(bytes);
        return bytes;
    }

    /// <summary>Reads and decodes <paramref name="length"/> bytes of UTF-8.</summary>
    public string ReadUtf8(ulong length, string what)
    {
        var start = Offset;
        var bytes = ReadBytes(length, what);
        return DecodeUtf8(bytes, what, start);
    }

    public string DecodeUtf8(byte[] bytes, string what, long at)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new CheckpointFormatException(FilePath, $"{PickleName}, byte {at}: {what} is not valid UTF-8", ex);
        }
    }

    /// <summary>Refuses a claimed length that the rest of the input cannot hold.</summary>
    public void CheckLength(ulong length, string what)
    {
        if (length > (ulong)Remaining)
        {
            throw Error($"{what} claims {length} bytes but only {Remaining} remain (truncated or corrupt)");
        }
        if (length > (ulong)Array.MaxLength)
        {
            throw Error($"{what} claims {length} bytes, more than one value can hold");
        }
    }

    /// <summary>
    /// Reads a text-protocol line up to (not including) its '\n', as Latin-1 bytes; refuses lines longer
    /// than <paramref name="maxBytes"/>.
    /// </summary>
    public byte[] ReadLine(string what, int maxBytes)
    {
        var start = Offset;
        var line = new List<byte>();
        while (true)
        {
            var value = _stream.ReadByte();
            if (value < 0)
            {
                throw Error($"input ended inside {what} (a line without its newline; truncated?)");
            }
            if (value == '\n')
            {
                return line.ToArray();
            }
            if (line.Count >= maxBytes)
            {
                throw Error($"{what} is longer than {maxBytes} bytes", start);
            }
            line.Add((byte)value);
        }
    }

    /// <summary>A text line that must be ASCII (numbers, global names).</summary>
    public string ReadAsciiLine(string what, int maxBytes)
    {
        var start = Offset;
        var bytes = ReadLine(what, maxBytes);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
            {
                throw Error($"{what} holds a byte 0x{b:x2} that is not printable ASCII", start);
            }
        }
        return Encoding.ASCII.GetString(bytes);
    }

    private void Fill(Span<byte> buffer)
    {
        if (buffer.Length > Remaining)
        {
            throw Truncated(buffer.Length);
        }
        try
        {
            _stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw Error("input ended inside the pickle (truncated?)", ex);
        }
    }

    private CheckpointFormatException Truncated(long needed) =>
        Error($"input ended inside the pickle: {needed} more byte(s) needed, {Remaining} remain (truncated?)");
}
