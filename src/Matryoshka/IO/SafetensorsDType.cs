namespace Matryoshka.IO;

/// <summary>
/// The element types Matryoshka reads and writes in safetensors files. Each name is the exact
/// string the format uses in a header's <c>dtype</c> field.
/// </summary>
public enum SafetensorsDType
{
    /// <summary>64-bit IEEE float (<c>torch.float64</c>).</summary>
    F64,

    /// <summary>32-bit IEEE float (<c>torch.float32</c>).</summary>
    F32,

    /// <summary>16-bit IEEE float (<c>torch.float16</c>).</summary>
    F16,

    /// <summary>bfloat16 (<c>torch.bfloat16</c>).</summary>
    BF16,

    /// <summary>Signed 64-bit integer (<c>torch.int64</c>).</summary>
    I64,

    /// <summary>Signed 32-bit integer (<c>torch.int32</c>).</summary>
    I32,

    /// <summary>Signed 16-bit integer (<c>torch.int16</c>).</summary>
    I16,

    /// <summary>Signed 8-bit integer (<c>torch.int8</c>).</summary>
    I8,

    /// <summary>Unsigned 8-bit integer (<c>torch.uint8</c>).</summary>
    U8,

    /// <summary>Boolean stored as one byte, 0 or 1 (<c>torch.bool</c>).</summary>
    BOOL,
}
