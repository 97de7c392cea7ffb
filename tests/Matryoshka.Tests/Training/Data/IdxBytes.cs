using System.Buffers.Binary;
using System.IO.Compression;

namespace Matryoshka.Tests.Training.Data;

/// <summary>Hand-built IDX files: a big-endian magic number, big-endian dimensions, then the bytes.</summary>
internal static class IdxBytes
{
    public static byte[] File(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Images(int count, int rows, int columns, Func<int, int, int, byte> pixel)
    {
        var data = new byte[count * rows * columns];
        for (int n = 0; n < count; n++)
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < columns; x++)
                    data[(n * rows + y) * columns + x] = pixel(n, y, x);
        return File(0x0803, [count, rows, columns], data);
    }

    public static byte[] Labels(params byte[] labels) => File(0x0801, [labels.Length], labels);

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(raw);
        return output.ToArray();
    }
}
