using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;

namespace Matryoshka.IO;

/// <summary>
/// What a save will write, worked out and validated before a single byte is written: tensors in
/// ordinal name order with their offsets, and the padded header.
/// </summary>
internal sealed class SafetensorsWritePlan
{
    /// <summary>One tensor to write, at [<see cref="Begin"/>, <see cref="End"/>) of the data buffer.</summary>
    internal sealed record Item(string Name, torch.Tensor Tensor, SafetensorsDType DType, long[] Shape, long Begin, long End);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SafetensorsWritePlan(IReadOnlyList<Item> items, byte[] header)
    {
        Items = items;
        Header = header;
    }

    /// <summary>The tensors in the order their bytes are written.</summary>
    internal IReadOnlyList<Item> Items { get; }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes.</summary>
    internal byte[] Header { get; }

    internal static SafetensorsWritePlan Create(
        IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata,
        string destination)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var items = new List<Item>(tensors.Count);
        long offset = 0;
        foreach (var (name, tensor) in tensors.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            CheckName(name, destination);
            if (tensor is null)
            {
                throw new ArgumentException($"Tensor '{name}' is null.", nameof(tensors));
            }
            if (!SafetensorsDTypes.TryFromScalarType(tensor.dtype, out var dtype))
            {
                throw new SafetensorsFormatException(destination,
                    $"tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot hold here (supported: {SafetensorsDTypes.SupportedList})");
            }
            var shape = tensor.shape;
            var bytes = checked(tensor.numel() * dtype.Value.ElementSize());
            items.Add(new Item(name, tensor, dtype.Value, shape, offset, checked(offset + bytes)));
            offset += bytes;
        }
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                CheckEncodable(key, "metadata key", destination);
                if (value is null)
                {
                    throw new ArgumentException($"Metadata value of '{key}' is null.", nameof(metadata));
                }
                CheckEncodable(value, $"metadata value of '{key}'", destination);
            }
        }

        var header = BuildHeader(items, metadata);
        if (header.Length > SafetensorsReadOptions.DefaultMaxHeaderBytes)
        {
            throw new SafetensorsFormatException(destination,
                $"header would be {header.Length} bytes, over the format's limit of {SafetensorsReadOptions.DefaultMaxHeaderBytes}");
        }
        return new SafetensorsWritePlan(items, header);
    }

    private static byte[] BuildHeader(IReadOnlyList<Item> items, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names readable ('+', '<', non-ASCII); the result is still strict JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeaderJson.MetadataKey);
                // The caller's order, not sorted: re-saving a file read with SafetensorsReader then
                // reproduces its header byte for byte.
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            foreach (var item in items)
            {
                json.WriteStartObject(item.Name);
                json.WriteString("dtype", item.DType.ToHeaderString());
                json.WriteStartArray("shape");
                foreach (var dimension in item.Shape)
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(item.Begin);
                json.WriteNumberValue(item.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        // Padding to a multiple of 8 keeps the data buffer 8-byte aligned for memory-mapping readers.
        var written = buffer.WrittenCount;
        var padded = new byte[(written + 7) / 8 * 8];
        buffer.WrittenSpan.CopyTo(padded);
        padded.AsSpan(written).Fill((byte)' ');
        return padded;
    }

    private static void CheckName(string name, string destination)
    {
        if (name.Length == 0)
        {
            throw new SafetensorsFormatException(destination, "a tensor has an empty name, which safetensors cannot hold");
        }
        if (name == SafetensorsHeaderJson.MetadataKey)
        {
            throw new SafetensorsFormatException(destination,
                $"a tensor is named '{SafetensorsHeaderJson.MetadataKey}', the key reserved for metadata");
        }
        CheckEncodable(name, "tensor name", destination);
    }

    private static void CheckEncodable(string text, string what, string destination)
    {
        try
        {
            _ = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new SafetensorsFormatException(destination, $"{what} '{text}' is not valid Unicode (lone surrogate)", ex);
        }
    }
}
