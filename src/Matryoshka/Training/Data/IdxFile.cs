using System.Buffers.Binary;
using System.IO.Compression;

namespace Matryoshka.Training.Data;

/// <summary>
/// Reads IDX files of unsigned bytes (the format of MNIST and Fashion-MNIST), raw or gzip-compressed (recognised by
/// their leading bytes, not their name). Everything is validated before the data is allocated: the magic number
/// (2051 for [N, rows, columns] images, 2049 for [N] labels), the dimensions, a size limit, and then that the file
/// holds exactly the declared data, no less and no more.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic number of an IDX file of unsigned-byte images, [N, rows, columns].</summary>
    public const int ImagesMagic = 0x0803;

    /// <summary>Magic number of an IDX file of unsigned-byte labels, [N].</summary>
    public const int LabelsMagic = 0x0801;

    /// <summary>Default largest payload accepted, in bytes (256 MiB; Fashion-MNIST's training images are 47 MB).</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <summary>Largest accepted image side.</summary>
    public const int MaxImageSide = 16384;

    /// <summary>Reads an image file: magic 2051, dimensions [N, rows, columns], N · rows · columns bytes.</summary>
    /// <exception cref="IdxFormatException">The file is unreadable, malformed, truncated, too large or has trailing data.</exception>
    public static IdxImages ReadImages(string path, long maxBytes = DefaultMaxBytes)
    {
        var (dimensions, data) = Read(path, ImagesMagic, maxBytes, dims =>
        {
            for (int d = 1; d < 3; d++)
                if (dims[d] < 1 || dims[d] > MaxImageSide)
                    throw new IdxFormatException(path, $"declares images of {dims[1]}×{dims[2]} pixels; each side must be 1 … {MaxImageSide}.");
        });
        return new IdxImages(dimensions[0], dimensions[1], dimensions[2], data);
    }

    /// <summary>Reads a label file: magic 2049, dimension [N], N bytes.</summary>
    /// <exception cref="IdxFormatException">The file is unreadable, malformed, truncated, too large or has trailing data.</exception>
    public static byte[] ReadLabels(string path, long maxBytes = DefaultMaxBytes) =>
        Read(path, LabelsMagic, maxBytes, _ => { }).Data;

    private static (int[] Dimensions, byte[] Data) Read(string path, int magic, long maxBytes, Action<int[]> checkDimensions)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            bool compressed = IsGzip(file);
            using var data = compressed ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            int[] dimensions = ReadHeader(data, path, magic);
            checkDimensions(dimensions);
            long size = 1;
            foreach (int d in dimensions)
                size *= d; // At most 3 factors below 2³¹: no overflow before the check below.
            if (size > maxBytes)
                throw new IdxFormatException(path,
                    $"declares [{string.Join(", ", dimensions)}] = {size} bytes of data, over the {maxBytes}-byte limit.");
            if (!compressed)
            {
                long available = file.Length - file.Position;
                if (available != size)
                    throw new IdxFormatException(path, available < size
                        ? $"is truncated: it declares [{string.Join(", ", dimensions)}] = {size} bytes of data but holds {available}."
                        : $"holds {available - size} bytes after the {size} declared by its dimensions [{string.Join(", ", dimensions)}].");
            }
            return (dimensions, ReadPayload(data, path, size, dimensions, sizeVerified: !compressed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IdxFormatException(path, $"cannot be read ({e.Message}).", e);
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> signature = stackalloc byte[2];
        int read = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && signature[0] == 0x1F && signature[1] == 0x8B;
    }

    private static int[] ReadHeader(Stream data, string path, int magic)
    {
        Span<byte> word = stackalloc byte[4];
        if (ReadFully(data, word, path) < 4)
            throw new IdxFormatException(path, "is too short to hold an IDX header.");
        int found = BinaryPrimitives.ReadInt32BigEndian(word);
        if (found != magic)
            throw new IdxFormatException(path, DescribeMagic(found, magic));

        var dimensions = new int[found & 0xFF];
        for (int d = 0; d < dimensions.Length; d++)
        {
            if (ReadFully(data, word, path) < 4)
                throw new IdxFormatException(path, $"ends inside its header (dimension {d} of {dimensions.Length}).");
            uint value = BinaryPrimitives.ReadUInt32BigEndian(word);
            if (value > int.MaxValue)
                throw new IdxFormatException(path, $"declares dimension {d} = {value}, which is absurd.");
            dimensions[d] = (int)value;
        }
        return dimensions;
    }

    private static string DescribeMagic(int found, int expected)
    {
        string wanted = expected == ImagesMagic ? "an IDX image file (magic 2051)" : "an IDX label file (magic 2049)";
        if (found == ImagesMagic)
            return $"is an IDX image file (magic 2051), not {wanted}.";
        if (found == LabelsMagic)
            return $"is an IDX label file (magic 2049), not {wanted}.";
        if ((found & ~0xFFFF) == 0 && (found >> 8 & 0xFF) != 0x08)
            return $"is an IDX file of element type 0x{found >> 8 & 0xFF:X2}; only unsigned bytes (0x08) are supported.";
        return $"starts with 0x{found:X8}, not the magic number of {wanted}.";
    }

    /// <summary>Reads exactly <paramref name="size"/> bytes and checks that nothing follows.</summary>
    private static byte[] ReadPayload(Stream data, string path, long size, int[] dimensions, bool sizeVerified)
    {
        // The size is already bounded by the limit. Unless the file length confirmed it, grow with what actually
        // arrives, so a tiny compressed file that declares a huge size is refused without allocating it.
        var buffer = new byte[sizeVerified ? size : Math.Min(size, 1 << 20)];
        long filled = 0;
        while (filled < size)
        {
            if (filled == buffer.LongLength)
                Array.Resize(ref buffer, (int)Math.Min(size, buffer.LongLength * 2));
            int read = ReadFully(data, buffer.AsSpan((int)filled), path);
            filled += read;
            if (read == 0)
                break;
        }
        if (filled < size)
            throw new IdxFormatException(path,
                $"is truncated: it declares [{string.Join(", ", dimensions)}] = {size} bytes of data but holds {filled}.");
        Span<byte> extra = stackalloc byte[1];
        if (ReadFully(data, extra, path) > 0)
            throw new IdxFormatException(path, $"holds data after the {size} bytes declared by its dimensions [{string.Join(", ", dimensions)}].");
        return buffer;
    }

    /// <summary>Fills as much of <paramref name="destination"/> as the stream allows; a corrupt gzip stream is a format error.</summary>
    private static int ReadFully(Stream data, Span<byte> destination, string path)
    {
        try
        {
            return data.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"holds corrupt gzip data ({e.Message}).", e);
        }
    }
}
