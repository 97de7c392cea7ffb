using TorchSharp;

namespace Matryoshka.IO;

/// <summary>
/// Copies raw tensor bytes between a stream and a contiguous CPU tensor's own memory, in bounded
/// chunks: no managed buffer the size of the tensor is ever made, and no span exceeds 2 GiB.
/// </summary>
internal static class TensorBytes
{
    /// <summary>Bytes moved per read or write call.</summary>
    internal const int DefaultChunkBytes = 16 << 20;

    /// <summary>
    /// Fills <paramref name="tensor"/> (contiguous, CPU) from the next bytes of <paramref name="stream"/>.
    /// BOOL tensors are checked to hold only 0 and 1, the only bytes torch.bool may contain.
    /// </summary>
    internal static void ReadInto(Stream stream, torch.Tensor tensor, SafetensorsTensorInfo info, string source,
        int chunkBytes = DefaultChunkBytes) =>
        ReadInto(stream, tensor,
            truncated: ex => new SafetensorsFormatException(source,
                $"tensor '{info.Name}': file ended while reading its data (was it truncated while being read?)", ex),
            invalidBool: (index, value) => new SafetensorsFormatException(source,
                $"tensor '{info.Name}': BOOL element {index} holds byte {value}, but BOOL bytes must be 0 or 1"),
            chunkBytes);

    /// <summary>
    /// Fills <paramref name="tensor"/> (contiguous, CPU) from the next bytes of <paramref name="stream"/>,
    /// raising the caller's errors for a stream that ends early and, for bool tensors, for an element
    /// byte other than 0 or 1.
    /// </summary>
    internal static void ReadInto(Stream stream, torch.Tensor tensor,
        Func<EndOfStreamException, Exception> truncated, Func<long, byte, Exception> invalidBool,
        int chunkBytes = DefaultChunkBytes)
    {
        var isBool = tensor.dtype == torch.ScalarType.Bool;
        long copied = 0;
        ForEachChunk(tensor, chunkBytes, span =>
        {
            try
            {
                stream.ReadExactly(span);
            }
            catch (EndOfStreamException ex)
            {
                throw truncated(ex);
            }
            if (isBool)
            {
                var bad = span.IndexOfAnyExcept((byte)0, (byte)1);
                if (bad >= 0)
                {
                    throw invalidBool(copied + bad, span[bad]);
                }
            }
            copied += span.Length;
        });
    }

    /// <summary>Writes the bytes of <paramref name="tensor"/> (contiguous, CPU) to <paramref name="stream"/>.</summary>
    internal static void WriteFrom(Stream stream, torch.Tensor tensor, int chunkBytes = DefaultChunkBytes) =>
        ForEachChunk(tensor, chunkBytes, span => stream.Write(span));

    /// <summary>Receives one chunk of a tensor's bytes.</summary>
    internal delegate void ChunkAction(Span<byte> chunk);

    /// <summary>Hands the bytes of <paramref name="tensor"/> (contiguous, CPU) to <paramref name="action"/> in chunks of at most <paramref name="chunkBytes"/>.</summary>
    internal static void ForEachChunk(torch.Tensor tensor, int chunkBytes, ChunkAction action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        if (!tensor.is_contiguous() || tensor.device_type != DeviceType.CPU)
        {
            throw new ArgumentException("Expected a contiguous CPU tensor.", nameof(tensor));
        }
        var count = tensor.numel();
        if (count == 0)
        {
            return;
        }
        var elementSize = tensor.element_size();
        var elementsPerChunk = Math.Max(1, chunkBytes / elementSize);
        using var scope = torch.NewDisposeScope();
        var flat = tensor.view(-1);
        for (long start = 0; start < count; start += elementsPerChunk)
        {
            var length = Math.Min(elementsPerChunk, count - start);
            using var chunk = flat.narrow(0, start, length);
            // Tensor.bytes spans the chunk's own memory (its data pointer includes the view's offset).
            action(chunk.bytes);
        }
    }
}
