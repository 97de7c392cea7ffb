namespace Matryoshka.IO;

/// <summary>
/// Checks parsed header entries against the data buffer: each tensor's byte length matches its
/// shape and dtype, and the tensors tile the buffer exactly (from 0, no gaps, no overlaps, no
/// trailing bytes).
/// </summary>
internal static class SafetensorsLayout
{
    /// <summary>The validated tensors, ordered by their position in the data buffer.</summary>
    internal static IReadOnlyList<SafetensorsTensorInfo> Validate(
        IReadOnlyList<SafetensorsHeaderJson.Entry> entries, long dataLength, string source)
    {
        var tensors = entries.Select(e => CheckSize(e, dataLength, source)).ToList();

        // Zero-length tensors sort before a tensor starting at the same offset; ties broken by name
        // so the order never depends on the JSON order.
        tensors.Sort((a, b) =>
        {
            var byBegin = a.Begin.CompareTo(b.Begin);
            if (byBegin != 0) return byBegin;
            var byEnd = a.End.CompareTo(b.End);
            return byEnd != 0 ? byEnd : string.CompareOrdinal(a.Name, b.Name);
        });

        long covered = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var tensor in tensors)
        {
            if (tensor.Begin < covered)
            {
                throw new SafetensorsFormatException(source,
                    $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}] and '{tensor.Name}' [{tensor.Begin}, {tensor.End}] overlap");
            }
            if (tensor.Begin > covered)
            {
                var after = previous is null ? "at the start of the data buffer" : $"after tensor '{previous.Name}'";
                throw new SafetensorsFormatException(source,
                    $"gap of {tensor.Begin - covered} bytes {after}: bytes [{covered}, {tensor.Begin}) belong to no tensor (next is '{tensor.Name}')");
            }
            covered = tensor.End;
            previous = tensor;
        }
        if (covered != dataLength)
        {
            throw new SafetensorsFormatException(source,
                $"{dataLength - covered} trailing bytes after the last tensor: the data buffer is {dataLength} bytes but the tensors cover {covered}");
        }
        return tensors;
    }

    private static SafetensorsTensorInfo CheckSize(SafetensorsHeaderJson.Entry entry, long dataLength, string source)
    {
        var shapeText = SafetensorsTensorInfo.FormatShape(entry.Shape);
        long elements;
        long bytes;
        try
        {
            // Zero-size dimensions count as 1 here, as in libtorch's stride computation, which
            // fails on overflow: [0, 2^62, 2^62] holds no element but cannot become a tensor.
            long extent = 1;
            foreach (var dimension in entry.Shape)
            {
                extent = checked(extent * Math.Max(dimension, 1));
            }
            _ = checked(extent * entry.DType.ElementSize());
            elements = entry.Shape.Contains(0) ? 0 : extent;
            bytes = elements * entry.DType.ElementSize();
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException(source,
                $"tensor '{entry.Name}': shape {shapeText} of {entry.DType.ToHeaderString()} needs more bytes than a 64-bit size can count");
        }

        if (entry.End > dataLength)
        {
            throw new SafetensorsFormatException(source,
                $"tensor '{entry.Name}': data_offsets end {entry.End} is past the end of the data buffer ({dataLength} bytes)");
        }
        var span = entry.End - entry.Begin;
        if (span != bytes)
        {
            throw new SafetensorsFormatException(source,
                $"tensor '{entry.Name}': shape {shapeText} of {entry.DType.ToHeaderString()} ({entry.DType.ElementSize()} bytes each) needs {bytes} bytes but data_offsets [{entry.Begin}, {entry.End}] span {span}");
        }
        return new SafetensorsTensorInfo(entry.Name, entry.DType, entry.Shape, entry.Begin, entry.End, elements);
    }
}
