using System.Buffers.Binary;
using System.Text;

namespace Matryoshka.Tests.IO;

/// <summary>Hand-built safetensors byte images, valid or deliberately broken.</summary>
public static class SafetensorsBytes
{
    /// <summary>Length prefix for <paramref name="headerJson"/>, the header, then <paramref name="dataBytes"/> zero bytes.</summary>
    public static byte[] Build(string headerJson, int dataBytes) =>
        Build(Encoding.UTF8.GetBytes(headerJson), dataBytes);

    public static byte[] Build(byte[] header, int dataBytes) =>
        Concat(Prefix((ulong)header.Length), header, new byte[dataBytes]);

    /// <summary>A little-endian u64 length prefix claiming <paramref name="headerLength"/> bytes.</summary>
    public static byte[] Prefix(ulong headerLength)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, headerLength);
        return prefix;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
