using Xunit;

namespace Matryoshka.Tests.IO;

/// <summary>
/// Broken safetensors files, each with a fragment the refusal message must contain. Names are
/// the theory case labels.
/// </summary>
public static class MalformedSafetensorsCases
{
    private const string GoodEntry = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private static readonly Dictionary<string, (byte[] Bytes, string Fragment)> Cases = new()
    {
        ["empty file"] = ([], "0 bytes, shorter than the 8-byte header length prefix"),
        ["five-byte file"] = ([1, 2, 3, 4, 5], "5 bytes, shorter than the 8-byte"),
        ["header length zero"] = (SafetensorsBytes.Concat(SafetensorsBytes.Prefix(0), "{}"u8.ToArray()), "header length is 0"),
        ["header length past end of file"] = (SafetensorsBytes.Concat(SafetensorsBytes.Prefix(100), "{}"u8.ToArray()),
            "header length 100 is past the end of the file (only 2 bytes follow"),
        ["header length 2^62"] = (SafetensorsBytes.Concat(SafetensorsBytes.Prefix(1UL << 62), "{}"u8.ToArray()),
            "header length 4611686018427387904 is past the end of the file"),
        ["header is not JSON"] = (SafetensorsBytes.Build("not json", 0), "header is not valid JSON"),
        ["header is a JSON array"] = (SafetensorsBytes.Build("[]", 0), "header must be a JSON object, found an array"),
        ["header is a JSON string"] = (SafetensorsBytes.Build("\"x\"", 0), "header must be a JSON object, found a string"),
        ["header is invalid UTF-8"] = (SafetensorsBytes.Build([(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'{', (byte)'}', (byte)'}'], 0),
            "header is not valid UTF-8 (bad byte 0xFF at header offset 2)"),
        ["truncated JSON"] = (SafetensorsBytes.Build("{\"a\":{\"dtype\":\"F32\"", 0), "JSON"),
        ["content after the header object"] = (SafetensorsBytes.Build("{} {}", 0), "header is not valid JSON"),
        ["unknown dtype"] = (Tensor("{\"dtype\":\"F128\",\"shape\":[2],\"data_offsets\":[0,8]}", 8),
            "tensor 'a': unknown or unsupported dtype 'F128' (supported: F64, F32"),
        ["lower-case dtype"] = (Tensor("{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8), "unknown or unsupported dtype 'f32'"),
        ["dtype is a number"] = (Tensor("{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}", 8), "tensor 'a': 'dtype' must be a string, found a number"),
        ["missing dtype"] = (Tensor("{\"shape\":[2],\"data_offsets\":[0,8]}", 8), "tensor 'a': missing field 'dtype'"),
        ["missing shape"] = (Tensor("{\"dtype\":\"F32\",\"data_offsets\":[0,8]}", 8), "tensor 'a': missing field 'shape'"),
        ["missing data_offsets"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2]}", 8), "tensor 'a': missing field 'data_offsets'"),
        ["negative shape entry"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}", 8),
            "tensor 'a': 'shape' entry 0 must be a non-negative integer no larger than 9223372036854775807, found -2"),
        ["fractional shape entry"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}", 8), "'shape' entry 0 must be a non-negative integer no larger than 9223372036854775807, found 2.5"),
        ["string shape entry"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[1,\"2\"],\"data_offsets\":[0,8]}", 8), "'shape' entry 1 must be a non-negative integer no larger than 9223372036854775807, found a string"),
        ["shape is not an array"] = (Tensor("{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}", 8), "tensor 'a': 'shape' must be an array of integers, found a number"),
        ["data_offsets with three entries"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}", 8), "'data_offsets' must hold exactly 2 integers [begin, end], found 3"),
        ["data_offsets with one entry"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}", 8), "'data_offsets' must hold exactly 2 integers [begin, end], found 1"),
        ["data_offsets beyond int64"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,18446744073709551615]}", 8), "'data_offsets' entry 1 must be a non-negative integer no larger than 9223372036854775807, found 18446744073709551615"),
        ["end past the data buffer"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 4), "tensor 'a': data_offsets end 8 is past the end of the data buffer (4 bytes)"),
        ["reversed offsets"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}", 8), "tensor 'a': 'data_offsets' [8, 0] are reversed (begin > end)"),
        ["overlapping tensors"] = (SafetensorsBytes.Build("{" + GoodEntry + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
            "tensors 'a' [0, 8] and 'b' [4, 12] overlap"),
        ["gap between tensors"] = (SafetensorsBytes.Build("{" + GoodEntry + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 20),
            "gap of 4 bytes after tensor 'a': bytes [8, 12) belong to no tensor"),
        ["gap before the first tensor"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}", 12), "gap of 4 bytes at the start of the data buffer"),
        ["trailing bytes after the last tensor"] = (SafetensorsBytes.Build("{" + GoodEntry + "}", 12),
            "4 trailing bytes after the last tensor: the data buffer is 12 bytes but the tensors cover 8"),
        ["data but no tensors"] = (SafetensorsBytes.Build("{}", 8), "8 trailing bytes after the last tensor"),
        ["shape times dtype differs from byte length"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}", 8),
            "tensor 'a': shape [3] of F32 (4 bytes each) needs 12 bytes but data_offsets [0, 8] span 8"),
        ["shape product overflow"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[1099511627776,1099511627776,1099511627776],\"data_offsets\":[0,8]}", 8),
            "tensor 'a': shape [1099511627776, 1099511627776, 1099511627776] of F32 needs more bytes than a 64-bit size can count"),
        ["zero-size shape whose other dimensions overflow"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[0,4611686018427387904,4611686018427387904],\"data_offsets\":[0,0]}", 0),
            "needs more bytes than a 64-bit size can count"),
        ["metadata with a non-string value"] = (SafetensorsBytes.Build("{\"__metadata__\":{\"k\":1}," + GoodEntry + "}", 8), "'__metadata__' value of 'k' must be a string, found a number"),
        ["metadata is not an object"] = (SafetensorsBytes.Build("{\"__metadata__\":\"x\"," + GoodEntry + "}", 8), "'__metadata__' must be an object of string values, found a string"),
        ["metadata given twice"] = (SafetensorsBytes.Build("{\"__metadata__\":{},\"__metadata__\":{}}", 0), "'__metadata__' appears twice"),
        ["duplicate tensor name"] = (SafetensorsBytes.Build("{" + GoodEntry + "," + GoodEntry + "}", 8), "tensor name 'a' appears twice"),
        ["extra field in a tensor entry"] = (Tensor("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}", 8),
            "tensor 'a': unexpected field 'extra' (allowed: 'dtype', 'shape', 'data_offsets')"),
        ["repeated field in a tensor entry"] = (Tensor("{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8), "tensor 'a': field 'dtype' appears twice"),
        ["empty tensor name"] = (SafetensorsBytes.Build("{\"\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "a tensor has an empty name"),
        ["tensor entry is not an object"] = (SafetensorsBytes.Build("{\"a\":[0,8]}", 8), "tensor 'a': entry must be an object"),
    };

    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var name in Cases.Keys)
            {
                names.Add(name);
            }
            return names;
        }
    }

    public static byte[] Bytes(string name) => Cases[name].Bytes;

    public static string ExpectedFragment(string name) => Cases[name].Fragment;

    private static byte[] Tensor(string entryJson, int dataBytes) =>
        SafetensorsBytes.Build("{\"a\":" + entryJson + "}", dataBytes);
}
