using System.Buffers.Binary;
using TorchSharp;

namespace Matryoshka.IO;

/// <summary>
/// Reads safetensors files after validating them completely: every size, offset and field is
/// checked before anything proportional to the file's numbers is allocated, and every problem is
/// reported as a <see cref="SafetensorsFormatException"/>.
/// </summary>
/// <remarks>
/// Hand-written on purpose: TorchSharp 0.107 has no safetensors reader, and a downloaded file is untrusted input whose
/// every size and offset must be checked by us.
/// </remarks>
public static class SafetensorsReader
{
    /// <summary>Reads and validates the header of the file at <paramref name="path"/>.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafetensorsHeader ReadHeader(string path, SafetensorsReadOptions? options = null)
    {
        using var stream = OpenRead(path);
        return ReadValidatedHeader(stream, path, options);
    }

    /// <summary>
    /// Reads and validates a safetensors header from a seekable stream whose safetensors content
    /// starts at the current position and runs to the end of the stream. Offsets in the result are
    /// relative to that starting position.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The content is not valid safetensors.</exception>
    public static SafetensorsHeader ReadHeader(Stream stream, SafetensorsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadValidatedHeader(stream, (stream as FileStream)?.Name ?? "<stream>", options);
    }

    /// <summary>
    /// Loads the tensors of the file at <paramref name="path"/> (all of them, or those
    /// <paramref name="include"/> accepts), each with the file's dtype and shape, on
    /// <paramref name="device"/> (CPU when null). The caller owns, and should dispose, the tensors.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Dictionary<string, torch.Tensor> Load(
        string path,
        torch.Device? device = null,
        Func<string, bool>? include = null,
        SafetensorsReadOptions? options = null)
    {
        ThrowIfBigEndian();
        using var stream = OpenRead(path);
        var header = ReadValidatedHeader(stream, path, options);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            // File order: one forward pass over the data buffer.
            foreach (var info in header.Tensors)
            {
                if (include is null || include(info.Name))
                {
                    tensors.Add(info.Name, ReadTensor(stream, header, info, path, device));
                }
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
            throw;
        }
        return tensors;
    }

    /// <summary>
    /// Reads the tensors of the file at <paramref name="path"/> (all of them, or those <paramref name="include"/>
    /// accepts) one at a time in file order, on <paramref name="device"/> (CPU when null), handing each to
    /// <paramref name="consume"/> and disposing it as soon as <paramref name="consume"/> returns: at most one tensor of
    /// the file is in memory at a time. <paramref name="consume"/> must copy what it keeps.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static void ReadEach(
        string path,
        Action<SafetensorsTensorInfo, torch.Tensor> consume,
        Func<string, bool>? include = null,
        torch.Device? device = null,
        SafetensorsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(consume);
        ThrowIfBigEndian();
        using var stream = OpenRead(path);
        var header = ReadValidatedHeader(stream, path, options);
        foreach (var info in header.Tensors)
        {
            if (include is not null && !include(info.Name)) continue;
            using var tensor = ReadTensor(stream, header, info, path, device);
            consume(info, tensor);
        }
    }

    /// <summary>
    /// Loads the single tensor <paramref name="name"/> of the file at <paramref name="path"/>, on
    /// <paramref name="device"/> (CPU when null), after validating the whole header.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="MatryoshkaException">The file has no tensor called <paramref name="name"/>.</exception>
    public static torch.Tensor LoadTensor(
        string path,
        string name,
        torch.Device? device = null,
        SafetensorsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfBigEndian();
        using var stream = OpenRead(path);
        var header = ReadValidatedHeader(stream, path, options);
        var info = header.Find(name)
            ?? throw new MatryoshkaException($"{path}: no tensor called '{name}' (the file has {header.Tensors.Count} tensors)");
        return ReadTensor(stream, header, info, path, device);
    }

    private static SafetensorsHeader ReadValidatedHeader(Stream stream, string source, SafetensorsReadOptions? options)
    {
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("A readable, seekable stream is needed to validate offsets against its length.", nameof(stream));
        }
        var maxHeaderBytes = (options ?? SafetensorsReadOptions.Default).MaxHeaderBytes;
        var start = stream.Position;
        var fileLength = stream.Length - start;
        if (fileLength < SafetensorsHeader.LengthPrefixBytes)
        {
            throw new SafetensorsFormatException(source,
                $"file is {fileLength} bytes, shorter than the {SafetensorsHeader.LengthPrefixBytes}-byte header length prefix");
        }

        Span<byte> prefix = stackalloc byte[SafetensorsHeader.LengthPrefixBytes];
        ReadExactly(stream, prefix, source, "the header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        var available = fileLength - SafetensorsHeader.LengthPrefixBytes;
        // Each check runs before the header buffer is allocated: a claimed length is never trusted.
        if (headerLength == 0)
        {
            throw new SafetensorsFormatException(source, "header length is 0; a header is at least the JSON object '{}'");
        }
        if (headerLength > (ulong)available)
        {
            throw new SafetensorsFormatException(source,
                $"header length {headerLength} is past the end of the file (only {available} bytes follow the length prefix)");
        }
        if (headerLength > (ulong)maxHeaderBytes)
        {
            throw new SafetensorsFormatException(source,
                $"header length {headerLength} exceeds the maximum header size of {maxHeaderBytes} bytes");
        }

        var json = new byte[(int)headerLength];
        ReadExactly(stream, json, source, "the header");
        var parsed = SafetensorsHeaderJson.Parse(json, source);
        var dataStart = SafetensorsHeader.LengthPrefixBytes + (long)headerLength;
        var tensors = SafetensorsLayout.Validate(parsed.Entries, fileLength - dataStart, source);
        return new SafetensorsHeader(tensors, parsed.Metadata, dataStart, fileLength);
    }

    private static torch.Tensor ReadTensor(
        FileStream stream, SafetensorsHeader header, SafetensorsTensorInfo info, string source, torch.Device? device)
    {
        using var scope = torch.NewDisposeScope();
        var cpu = torch.empty(info.ShapeArray(), info.DType.ToScalarType(), torch.CPU);
        stream.Position = header.DataStart + info.Begin;
        TensorBytes.ReadInto(stream, cpu, info, source);
        var placed = device is null || device.type == DeviceType.CPU ? cpu : cpu.to(device);
        return placed.MoveToOuterDisposeScope();
    }

    private static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // No stream buffer: tensor bytes are read straight into tensor memory.
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string source, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw new SafetensorsFormatException(source, $"file ended while reading {what}", ex);
        }
    }

    internal static void ThrowIfBigEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported.");
        }
    }
}
