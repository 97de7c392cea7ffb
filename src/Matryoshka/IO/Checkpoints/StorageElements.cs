using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>The storage types checkpoints use: torch's class names (as pickles name them) and element sizes.</summary>
internal static class StorageElements
{
    /// <summary>Storage class names in module <c>torch</c> (as <c>torch.save</c> pickles them) and their element types.</summary>
    public static readonly IReadOnlyDictionary<string, torch.ScalarType> ByName = new Dictionary<string, torch.ScalarType>(StringComparer.Ordinal)
    {
        ["FloatStorage"] = torch.ScalarType.Float32,
        ["HalfStorage"] = torch.ScalarType.Float16,
        ["BFloat16Storage"] = torch.ScalarType.BFloat16,
        ["DoubleStorage"] = torch.ScalarType.Float64,
        ["LongStorage"] = torch.ScalarType.Int64,
        ["IntStorage"] = torch.ScalarType.Int32,
        ["ShortStorage"] = torch.ScalarType.Int16,
        ["CharStorage"] = torch.ScalarType.Int8,
        ["ByteStorage"] = torch.ScalarType.Byte,
        ["BoolStorage"] = torch.ScalarType.Bool,
    };

    /// <summary>The storage class name for <paramref name="type"/>, or null for a type no checkpoint storage holds.</summary>
    public static string? NameOf(torch.ScalarType type) => ByName.FirstOrDefault(p => p.Value == type).Key;

    public static int Size(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float64 or torch.ScalarType.Int64 => 8,
        torch.ScalarType.Float32 or torch.ScalarType.Int32 => 4,
        torch.ScalarType.Float16 or torch.ScalarType.BFloat16 or torch.ScalarType.Int16 => 2,
        torch.ScalarType.Int8 or torch.ScalarType.Byte or torch.ScalarType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a checkpoint storage type."),
    };
}
