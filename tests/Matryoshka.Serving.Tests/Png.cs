using System.Buffers.Binary;

namespace Matryoshka.Serving.Tests;

/// <summary>Reads a PNG's size from its header: enough to check what the server sent without decoding it.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Size(ReadOnlySpan<byte> png)
    {
        Assert.True(png.Length > 24 && png[..8].SequenceEqual(Signature), "not a PNG");
        return (BinaryPrimitives.ReadInt32BigEndian(png[16..20]), BinaryPrimitives.ReadInt32BigEndian(png[20..24]));
    }
}
