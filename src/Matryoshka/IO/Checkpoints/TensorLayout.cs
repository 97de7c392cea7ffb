
namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Checks the offset, size and stride that a pickle gives a tensor against the storage it names, with
/// overflow-checked arithmetic, so that building the tensor can never read outside the stored bytes.
/// </summary>
internal static class TensorLayout
{
    /// <summary>More dimensions than any real tensor has; refusing beyond it bounds the work per tensor.</summary>
    public const int MaxDimensions = 64;

    public static PickledTensor Create(
        PickledStorage storage, object? storageOffset, object? size, object? stride, Func<string, Exception> error)
    {
        var offset = NonNegative(storageOffset, "storage offset", error);
        var sizes = Dimensions(size, "size", error);
        var strides = Dimensions(stride, "stride", error);
        if (sizes.Length != strides.Length)
        {
            throw error($"tensor size has {sizes.Length} dimensions but its stride has {strides.Length}");
        }

        var available = storage.ViewElementCount;
        long count;
        long lastIndex;
        try
        {
            count = 1;
            lastIndex = offset;
            for (var i = 0; i < sizes.Length; i++)
            {
                count = checked(count * sizes[i]);
                if (sizes[i] > 0)
                {
                    lastIndex = checked(lastIndex + checked((sizes[i] - 1) * strides[i]));
                }
            }
        }
        catch (OverflowException)
        {
            throw error($"tensor size [{string.Join(", ", sizes)}] with stride [{string.Join(", ", strides)}] overflows 64-bit arithmetic");
        }

        if (count == 0)
        {
            if (offset > available)
            {
                throw error($"empty tensor's storage offset {offset} is past the end of its storage ({available} elements)");
            }
        }
        else if (lastIndex >= available)
        {
            throw error(
                $"tensor with offset {offset}, size [{string.Join(", ", sizes)}] and stride [{string.Join(", ", strides)}] " +
                $"reaches element {lastIndex}, past the end of its storage ({available} elements)");
        }
        if (count > available)
        {
            // Only expanded (stride 0) or overlapping layouts get here; copying them could allocate far
            // more than the file holds.
            throw error($"tensor has {count} elements, more than its storage's {available}: overlapping or expanded layouts are not supported");
        }
        return new PickledTensor(storage, offset, sizes, strides) { ElementCount = count };
    }

    private static long NonNegative(object? value, string what, Func<string, Exception> error) => value switch
    {
        long number when number >= 0 => number,
        long number => throw error($"tensor {what} is negative ({number})"),
        System.Numerics.BigInteger number => throw error($"tensor {what} ({number}) does not fit in 64 bits"),
        _ => throw error($"tensor {what} is a {PickleTypeNames.Of(value)}, not an int"),
    };

    private static long[] Dimensions(object? value, string what, Func<string, Exception> error)
    {
        IReadOnlyList<object?> items = value switch
        {
            PickleTuple tuple => tuple.Items,
            List<object?> list => list,
            _ => throw error($"tensor {what} is a {PickleTypeNames.Of(value)}, not a tuple of ints"),
        };
        if (items.Count > MaxDimensions)
        {
            throw error($"tensor {what} has {items.Count} dimensions, more than the {MaxDimensions} supported");
        }
        var result = new long[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            result[i] = NonNegative(items[i], $"{what}[{i}]", error);
        }
        return result;
    }
}
