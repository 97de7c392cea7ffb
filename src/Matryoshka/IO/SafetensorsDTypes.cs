using System.Diagnostics.CodeAnalysis;
using TorchSharp;

namespace Matryoshka.IO;

/// <summary>
/// Element sizes, header spellings and TorchSharp equivalents of <see cref="SafetensorsDType"/>.
/// </summary>
public static class SafetensorsDTypes
{
    /// <summary>Every supported dtype, in the order of the enum.</summary>
    public static IReadOnlyList<SafetensorsDType> All { get; } = Array.AsReadOnly(Enum.GetValues<SafetensorsDType>());

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    /// <summary>The string a safetensors header uses for this dtype (for example <c>"F32"</c>).</summary>
    public static string ToHeaderString(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => "F64",
        SafetensorsDType.F32 => "F32",
        SafetensorsDType.F16 => "F16",
        SafetensorsDType.BF16 => "BF16",
        SafetensorsDType.I64 => "I64",
        SafetensorsDType.I32 => "I32",
        SafetensorsDType.I16 => "I16",
        SafetensorsDType.I8 => "I8",
        SafetensorsDType.U8 => "U8",
        SafetensorsDType.BOOL => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    /// <summary>
    /// Parses a header's <c>dtype</c> string. Matching is exact and case-sensitive, as in the format:
    /// <c>"f32"</c> or <c>"1"</c> are refused.
    /// </summary>
    public static bool TryParse(string? text, out SafetensorsDType dtype)
    {
        // An explicit table rather than Enum.TryParse, which would accept numbers and other spellings.
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.ToHeaderString(), StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>The TorchSharp element type of tensors holding this dtype.</summary>
    public static torch.ScalarType ToScalarType(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => torch.ScalarType.Float64,
        SafetensorsDType.F32 => torch.ScalarType.Float32,
        SafetensorsDType.F16 => torch.ScalarType.Float16,
        SafetensorsDType.BF16 => torch.ScalarType.BFloat16,
        SafetensorsDType.I64 => torch.ScalarType.Int64,
        SafetensorsDType.I32 => torch.ScalarType.Int32,
        SafetensorsDType.I16 => torch.ScalarType.Int16,
        SafetensorsDType.I8 => torch.ScalarType.Int8,
        SafetensorsDType.U8 => torch.ScalarType.Byte,
        SafetensorsDType.BOOL => torch.ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    /// <summary>
    /// The safetensors dtype for a TorchSharp element type; false for types the format (as supported
    /// here) cannot hold, such as complex or quantised types.
    /// </summary>
    public static bool TryFromScalarType(torch.ScalarType scalarType, [NotNullWhen(true)] out SafetensorsDType? dtype)
    {
        dtype = scalarType switch
        {
            torch.ScalarType.Float64 => SafetensorsDType.F64,
            torch.ScalarType.Float32 => SafetensorsDType.F32,
            torch.ScalarType.Float16 => SafetensorsDType.F16,
            torch.ScalarType.BFloat16 => SafetensorsDType.BF16,
            torch.ScalarType.Int64 => SafetensorsDType.I64,
            torch.ScalarType.Int32 => SafetensorsDType.I32,
            torch.ScalarType.Int16 => SafetensorsDType.I16,
            torch.ScalarType.Int8 => SafetensorsDType.I8,
            torch.ScalarType.Byte => SafetensorsDType.U8,
            torch.ScalarType.Bool => SafetensorsDType.BOOL,
            _ => null,
        };
        return dtype is not null;
    }

    /// <summary>The supported header strings, comma-separated, for error messages.</summary>
    internal static string SupportedList => string.Join(", ", All.Select(d => d.ToHeaderString()));
}
