using System.Numerics;

namespace Matryoshka.IO.Checkpoints;

/// <summary>Python-style names of unpickled values, for error messages.</summary>
internal static class PickleTypeNames
{
    public static string Of(object? value) => value switch
    {
        null or PickleNone => "None",
        bool => "bool",
        long or BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        PickleTuple => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        PickleSet => "set",
        PickleGlobal global => $"global {global.FullName}",
        InertObject inert => $"{inert.TypeName} object",
        PickledEnumMember member => $"{member.TypeName} member",
        PickledStorage => "storage",
        PickledTensor => "tensor",
        _ => value.GetType().Name,
    };
}
