using System.Buffers.Binary;
using TorchSharp;

namespace Matryoshka.IO;

/// <summary>
/// Writes tensors as a safetensors file: tensors in ordinal name order, stored contiguously, the
/// header padded with spaces to a multiple of 8 bytes, metadata (if any) first, in the order the
/// dictionary enumerates it. The caller's tensors are never modified;
/// CPU, contiguous copies are made where needed.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Saves <paramref name="tensors"/> (and optional string <paramref name="metadata"/>) to
    /// <paramref name="path"/>. The file is written under a temporary name in the same folder and
    /// then moved into place, so a failure never leaves a truncated file at <paramref name="path"/>.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">
    /// A tensor's dtype or a name cannot be represented in safetensors; nothing is written.
    /// </exception>
    public static void Save(
        string path,
        IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafetensorsReader.ThrowIfBigEndian();
        var plan = SafetensorsWritePlan.Create(tensors, metadata, path);

        AtomicFile.Write(path, stream => Write(stream, plan));
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (and optional string <paramref name="metadata"/>) in
    /// safetensors format to <paramref name="stream"/>, from its current position.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">
    /// A tensor's dtype or a name cannot be represented in safetensors; nothing is written.
    /// </exception>
    public static void Save(
        Stream stream,
        IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafetensorsReader.ThrowIfBigEndian();
        var plan = SafetensorsWritePlan.Create(tensors, metadata, (stream as FileStream)?.Name ?? "<stream>");
        Write(stream, plan);
        stream.Flush();
    }

    private static void Write(Stream stream, SafetensorsWritePlan plan)
    {
        Span<byte> prefix = stackalloc byte[SafetensorsHeader.LengthPrefixBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)plan.Header.Length);
        stream.Write(prefix);
        stream.Write(plan.Header);
        foreach (var item in plan.Items)
        {
            using var scope = torch.NewDisposeScope();
            // detach/to/contiguous return the caller's tensor's storage when nothing needs copying;
            // it is only read.
            var cpu = item.Tensor.detach().to(torch.CPU).contiguous();
            if (cpu.numel() * item.DType.ElementSize() != item.End - item.Begin)
            {
                throw new InvalidOperationException($"Tensor '{item.Name}' changed size while being saved.");
            }
            TensorBytes.WriteFrom(stream, cpu);
        }
    }
}
