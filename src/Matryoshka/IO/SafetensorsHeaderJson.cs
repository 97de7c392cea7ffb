using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Matryoshka.IO;

/// <summary>
/// Parses the JSON header of a safetensors file into raw entries, checking its syntax and the type
/// of every field. Sizes and offsets are checked afterwards by <see cref="SafetensorsLayout"/>.
/// </summary>
/// <remarks>
/// A streaming <see cref="Utf8JsonReader"/> rather than a DOM: it sees duplicate keys (a DOM would
/// silently keep one of them) and lets every error name the tensor and field concerned.
/// </remarks>
internal static class SafetensorsHeaderJson
{
    internal const string MetadataKey = "__metadata__";

    private const string DTypeField = "dtype";
    private const string ShapeField = "shape";
    private const string OffsetsField = "data_offsets";

    /// <summary>A tensor entry whose fields have the right types, not yet checked against the data.</summary>
    internal sealed record Entry(string Name, SafetensorsDType DType, long[] Shape, long Begin, long End);

    /// <summary>The parsed header: tensor entries in JSON order and the metadata.</summary>
    internal sealed record Parsed(IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata);

    internal static Parsed Parse(ReadOnlySpan<byte> json, string source)
    {
        var invalidAt = FirstInvalidUtf8Offset(json);
        if (invalidAt >= 0)
        {
            throw Refuse(source, $"header is not valid UTF-8 (bad byte 0x{json[invalidAt]:X2} at header offset {invalidAt})");
        }
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions
            {
                CommentHandling = JsonCommentHandling.Disallow,
                AllowTrailingCommas = false,
            });
            return ParseRoot(ref reader, source);
        }
        catch (JsonException ex)
        {
            throw Refuse(source, $"header is not valid JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports undecodable strings (e.g. escaped lone surrogates) this way.
            throw Refuse(source, $"header holds a string that cannot be decoded: {ex.Message}", ex);
        }
    }

    private static Parsed ParseRoot(ref Utf8JsonReader reader, string source)
    {
        Read(ref reader, source);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Refuse(source, $"header must be a JSON object, found {Describe(reader.TokenType)}");
        }

        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, string>? metadata = null;
        while (Read(ref reader, source) != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            if (!seen.Add(key))
            {
                throw Refuse(source, key == MetadataKey
                    ? $"'{MetadataKey}' appears twice in the header"
                    : $"tensor name '{key}' appears twice in the header");
            }
            if (key == MetadataKey)
            {
                metadata = ParseMetadata(ref reader, source);
            }
            else if (key.Length == 0)
            {
                throw Refuse(source, "a tensor has an empty name");
            }
            else
            {
                entries.Add(ParseTensor(ref reader, key, source));
            }
        }

        // With the final block, the reader throws on anything but whitespace after the root object.
        if (reader.Read())
        {
            throw Refuse(source, $"unexpected {Describe(reader.TokenType)} after the header object");
        }
        return new Parsed(entries, metadata ?? new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private static Dictionary<string, string> ParseMetadata(ref Utf8JsonReader reader, string source)
    {
        if (Read(ref reader, source) != JsonTokenType.StartObject)
        {
            throw Refuse(source, $"'{MetadataKey}' must be an object of string values, found {Describe(reader.TokenType)}");
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Read(ref reader, source) != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            if (metadata.ContainsKey(key))
            {
                throw Refuse(source, $"'{MetadataKey}' key '{key}' appears twice");
            }
            if (Read(ref reader, source) != JsonTokenType.String)
            {
                throw Refuse(source, $"'{MetadataKey}' value of '{key}' must be a string, found {Describe(reader.TokenType)}");
            }
            metadata.Add(key, reader.GetString()!);
        }
        return metadata;
    }

    private static Entry ParseTensor(ref Utf8JsonReader reader, string name, string source)
    {
        if (Read(ref reader, source) != JsonTokenType.StartObject)
        {
            throw Refuse(source, $"tensor '{name}': entry must be an object with '{DTypeField}', '{ShapeField}' and '{OffsetsField}', found {Describe(reader.TokenType)}");
        }

        SafetensorsDType? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (Read(ref reader, source) != JsonTokenType.EndObject)
        {
            var field = reader.GetString()!;
            switch (field)
            {
                case DTypeField:
                    RefuseRepeatedField(dtype is not null, name, field, source);
                    dtype = ParseDType(ref reader, name, source);
                    break;
                case ShapeField:
                    RefuseRepeatedField(shape is not null, name, field, source);
                    shape = ParseIntegerArray(ref reader, name, field, source);
                    break;
                case OffsetsField:
                    RefuseRepeatedField(offsets is not null, name, field, source);
                    offsets = ParseIntegerArray(ref reader, name, field, source);
                    if (offsets.Length != 2)
                    {
                        throw Refuse(source, $"tensor '{name}': '{OffsetsField}' must hold exactly 2 integers [begin, end], found {offsets.Length}");
                    }
                    break;
                default:
                    throw Refuse(source, $"tensor '{name}': unexpected field '{field}' (allowed: '{DTypeField}', '{ShapeField}', '{OffsetsField}')");
            }
        }

        if (dtype is null) throw MissingField(name, DTypeField, source);
        if (shape is null) throw MissingField(name, ShapeField, source);
        if (offsets is null) throw MissingField(name, OffsetsField, source);
        if (offsets[0] > offsets[1])
        {
            throw Refuse(source, $"tensor '{name}': '{OffsetsField}' [{offsets[0]}, {offsets[1]}] are reversed (begin > end)");
        }
        return new Entry(name, dtype.Value, shape, offsets[0], offsets[1]);
    }

    private static SafetensorsDType ParseDType(ref Utf8JsonReader reader, string name, string source)
    {
        if (Read(ref reader, source) != JsonTokenType.String)
        {
            throw Refuse(source, $"tensor '{name}': '{DTypeField}' must be a string, found {Describe(reader.TokenType)}");
        }
        var text = reader.GetString();
        if (!SafetensorsDTypes.TryParse(text, out var dtype))
        {
            throw Refuse(source, $"tensor '{name}': unknown or unsupported dtype '{text}' (supported: {SafetensorsDTypes.SupportedList})");
        }
        return dtype;
    }

    private static long[] ParseIntegerArray(ref Utf8JsonReader reader, string name, string field, string source)
    {
        if (Read(ref reader, source) != JsonTokenType.StartArray)
        {
            throw Refuse(source, $"tensor '{name}': '{field}' must be an array of integers, found {Describe(reader.TokenType)}");
        }
        var values = new List<long>();
        while (Read(ref reader, source) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < 0)
            {
                var found = reader.TokenType == JsonTokenType.Number
                    ? Encoding.UTF8.GetString(reader.ValueSpan)
                    : Describe(reader.TokenType);
                throw Refuse(source, $"tensor '{name}': '{field}' entry {values.Count} must be a non-negative integer no larger than {long.MaxValue}, found {found}");
            }
            values.Add(value);
        }
        return values.ToArray();
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader, string source)
    {
        if (!reader.Read())
        {
            throw Refuse(source, "header JSON ends before its closing brace");
        }
        return reader.TokenType;
    }

    private static void RefuseRepeatedField(bool alreadySeen, string name, string field, string source)
    {
        if (alreadySeen)
        {
            throw Refuse(source, $"tensor '{name}': field '{field}' appears twice");
        }
    }

    private static SafetensorsFormatException MissingField(string name, string field, string source) =>
        Refuse(source, $"tensor '{name}': missing field '{field}'");

    private static int FirstInvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return -1;
        }
        // Slow path, only to name the offending byte.
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return -1;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static SafetensorsFormatException Refuse(string source, string problem, Exception? inner = null) =>
        inner is null ? new(source, problem) : new(source, problem, inner);
}
