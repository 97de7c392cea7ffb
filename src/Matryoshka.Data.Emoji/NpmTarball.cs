using System.Formats.Tar;
using System.IO.Compression;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// One pass over an untrusted npm tarball (gzip-compressed tar) without unpacking it to disk. Every entry name is
/// checked (a name such as <c>../evil.png</c> refuses the whole archive), only regular files are read (links are
/// ignored), a name may appear only once, and the entry count and unpacked size are capped.
/// </summary>
internal static class NpmTarball
{
    /// <summary>
    /// Hands each regular-file entry that <paramref name="limitFor"/> wants (it returns the entry's size limit, or null
    /// to pass over it) to <paramref name="onEntry"/>: the bytes, or null when the entry is over its limit.
    /// </summary>
    /// <exception cref="EmojiPackageException">The stream is not a .tgz, is unsafe, or breaks a limit.</exception>
    public static void Read(Stream stream, string sourceName, int maxEntries, long maxUnpackedBytes,
        Func<string, long?> limitFor, Action<string, byte[]?> onEntry)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var unpacked = new BoundedReadStream(new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true),
                maxUnpackedBytes, () => new EmojiPackageException(sourceName, $"unpacks to more than {maxUnpackedBytes:N0} bytes"));
            using var tar = new TarReader(unpacked);
            int count = 0;
            while (tar.GetNextEntry(copyData: false) is { } entry)
            {
                if (++count > maxEntries)
                    throw new EmojiPackageException(sourceName, $"holds more than {maxEntries:N0} entries");
                var name = TarEntryNames.Normalize(entry.Name)
                    ?? throw new EmojiPackageException(sourceName, $"entry name '{Printable(entry.Name)}' could escape the archive (absolute, '..' or backslash)");
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    continue;
                if (!seen.Add(name))
                    throw new EmojiPackageException(sourceName, $"entry '{name}' appears twice");
                if (limitFor(name) is { } limit)
                    onEntry(name, ReadEntry(entry, limit));
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw new EmojiPackageException(sourceName, $"is not a valid gzip-compressed tar archive ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw new EmojiPackageException(sourceName, $"cannot be read ({e.Message})", e);
        }
    }

    /// <summary>Opens the tarball at <paramref name="path"/> and hands the stream to <paramref name="read"/>.</summary>
    /// <exception cref="EmojiPackageException">The path is a folder, missing, or unreadable.</exception>
    public static T Open<T>(string path, Func<Stream, T> read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new EmojiPackageException(path, "is a directory; pass the .tgz file that `npm pack` wrote");
        if (!File.Exists(path))
            throw new EmojiPackageException(path, "file not found");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmojiPackageException(path, $"cannot be read ({e.Message})", e);
        }
    }

    /// <summary>The entry's bytes, or null when it declares more than <paramref name="limit"/> bytes.</summary>
    private static byte[]? ReadEntry(TarEntry entry, long limit)
    {
        if (entry.Length > limit)
            return null;
        var bytes = new byte[entry.Length];
        if (entry.Length > 0)
        {
            var data = entry.DataStream ?? throw new EndOfStreamException($"entry '{entry.Name}' has no data");
            data.ReadExactly(bytes);
        }
        return bytes;
    }

    private static string Printable(string name) =>
        new(name.Select(c => char.IsControl(c) ? '?' : c).Take(200).ToArray());
}
