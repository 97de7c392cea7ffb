using System.Collections.ObjectModel;

namespace Matryoshka.IO;

/// <summary>One validated tensor entry of a safetensors header.</summary>
public sealed class SafetensorsTensorInfo
{
    private readonly long[] _shape;

    internal SafetensorsTensorInfo(string name, SafetensorsDType dtype, long[] shape, long begin, long end, long elementCount)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        Shape = new ReadOnlyCollection<long>(shape);
        Begin = begin;
        End = end;
        ElementCount = elementCount;
    }

    /// <summary>The tensor's name (its key in the header).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Offset of the first byte, relative to the start of the data buffer.</summary>
    public long Begin { get; }

    /// <summary>Offset one past the last byte, relative to the start of the data buffer.</summary>
    public long End { get; }

    /// <summary>Bytes the tensor occupies: <see cref="End"/> − <see cref="Begin"/>.</summary>
    public long ByteLength => End - Begin;

    /// <summary>Number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>A fresh copy of the shape, as TorchSharp factories take it.</summary>
    internal long[] ShapeArray() => (long[])_shape.Clone();

    /// <summary>The shape as written in headers and messages, for example <c>[2, 3]</c>.</summary>
    public string ShapeText => FormatShape(_shape);

    /// <inheritdoc />
    public override string ToString() => $"{Name} {DType.ToHeaderString()} {ShapeText}";

    internal static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
