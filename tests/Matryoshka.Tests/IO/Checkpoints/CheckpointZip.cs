using System.IO.Compression;

namespace Matryoshka.Tests.IO.Checkpoints;

/// <summary>Builds and rewrites zip checkpoints the way torch.save lays them out.</summary>
public static class CheckpointZip
{
    /// <summary>A zip with <c>archive/data.pkl</c>, <c>archive/byteorder</c> and <c>archive/data/&lt;key&gt;</c>.</summary>
    public static byte[] Build(byte[] dataPkl, IReadOnlyDictionary<string, byte[]>? storages = null,
        string? byteOrder = "little", CompressionLevel level = CompressionLevel.NoCompression)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "archive/data.pkl", dataPkl, level);
            if (byteOrder is not null)
            {
                Add(zip, "archive/byteorder", System.Text.Encoding.ASCII.GetBytes(byteOrder), level);
            }
            foreach (var (key, bytes) in storages ?? new Dictionary<string, byte[]>())
            {
                Add(zip, $"archive/data/{key}", bytes, level);
            }
            Add(zip, "archive/version", "3\n"u8.ToArray(), level);
        }
        return output.ToArray();
    }

    /// <summary>All entries of a zip, in order.</summary>
    public static List<(string Name, byte[] Bytes)> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
    }

    /// <summary>The same entries, with <paramref name="replace"/> applied to each (null drops the entry).</summary>
    public static byte[] Rewrite(IEnumerable<(string Name, byte[] Bytes)> entries, Func<string, byte[], byte[]?> replace)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var replaced = replace(name, bytes);
                if (replaced is not null)
                {
                    Add(zip, name, replaced, CompressionLevel.NoCompression);
                }
            }
        }
        return output.ToArray();
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
