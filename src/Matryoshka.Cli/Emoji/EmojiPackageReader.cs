using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Matryoshka.Cli.Emoji;

/// <summary>
/// Reads an emoji-datasource npm tarball (<c>npm pack emoji-datasource-google@16.0.0</c>) directly, without
/// unpacking it to disk: one pass over the gzip-compressed tar keeps <c>package/emoji.json</c>,
/// <c>package/package.json</c>, <c>package/LICENSE</c> and the PNGs under <c>package/img/google/64/</c>.
/// Every entry name is checked (a name such as <c>../evil.png</c> refuses the whole archive), only regular files
/// are read (links are ignored), and the sizes in <see cref="EmojiPackageLimits"/> are enforced.
/// </summary>
public static class EmojiPackageReader
{
    private const string Root = "package/";
    private const string CatalogEntry = Root + "emoji.json";
    private const string ManifestEntry = Root + "package.json";
    private const string LicenseEntry = Root + "LICENSE";

    /// <summary>The folder inside the package that holds the 64 × 64 Google (Noto) images.</summary>
    public const string ImageFolder = Root + "img/google/64/";

    /// <summary>Reads the package at <paramref name="path"/>.</summary>
    /// <exception cref="EmojiPackageException">The file is missing, unreadable, not a .tgz, unsafe, over a limit, or has no emoji.json.</exception>
    public static EmojiPackage Read(string path, EmojiPackageLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits ??= new EmojiPackageLimits();
        if (Directory.Exists(path))
            throw new EmojiPackageException(path, "is a directory; pass the .tgz file that `npm pack` wrote");
        if (!File.Exists(path))
            throw new EmojiPackageException(path, "file not found");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return Read(file, path, limits);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmojiPackageException(path, $"cannot be read ({e.Message})", e);
        }
    }

    /// <summary>Reads a package from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="EmojiPackageException">The stream is not a .tgz, is unsafe, breaks a limit, or has no emoji.json.</exception>
    public static EmojiPackage Read(Stream stream, string sourceName, EmojiPackageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= new EmojiPackageLimits();
        byte[]? catalog = null, manifest = null, license = null;
        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var oversized = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var unpacked = new BoundedReadStream(new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true),
                limits.MaxUnpackedBytes,
                () => new EmojiPackageException(sourceName, $"unpacks to more than {limits.MaxUnpackedBytes:N0} bytes"));
            using var tar = new TarReader(unpacked);
            int count = 0;
            while (tar.GetNextEntry(copyData: false) is { } entry)
            {
                if (++count > limits.MaxEntries)
                    throw new EmojiPackageException(sourceName, $"holds more than {limits.MaxEntries:N0} entries");
                var name = TarEntryNames.Normalize(entry.Name)
                    ?? throw new EmojiPackageException(sourceName, $"entry name '{Printable(entry.Name)}' could escape the archive (absolute, '..' or backslash)");
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    continue;
                if (!seen.Add(name))
                    throw new EmojiPackageException(sourceName, $"entry '{name}' appears twice");
                switch (name)
                {
                    case CatalogEntry:
                        catalog = ReadEntry(entry, limits.MaxCatalogBytes)
                            ?? throw new EmojiPackageException(sourceName, $"{CatalogEntry} is larger than {limits.MaxCatalogBytes:N0} bytes");
                        break;
                    case ManifestEntry:
                        manifest = ReadEntry(entry, limits.MaxTextBytes);
                        break;
                    case LicenseEntry:
                        license = ReadEntry(entry, limits.MaxTextBytes);
                        break;
                    default:
                        if (name.StartsWith(ImageFolder, StringComparison.Ordinal) && name.IndexOf('/', ImageFolder.Length) < 0)
                        {
                            var fileName = name[ImageFolder.Length..];
                            if (ReadEntry(entry, limits.MaxImageBytes) is { } bytes) images[fileName] = bytes;
                            else oversized.Add(fileName);
                        }
                        break;
                }
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

        if (catalog is null)
            throw new EmojiPackageException(sourceName, $"has no {CatalogEntry}; is it an emoji-datasource package?");
        var (packageName, version) = ReadManifest(manifest);
        return new EmojiPackage(sourceName, catalog, images, oversized, packageName, version,
            license is null ? null : Encoding.UTF8.GetString(license));
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

    private static (string? Name, string? Version) ReadManifest(byte[]? manifest)
    {
        if (manifest is null)
            return (null, null);
        try
        {
            using var document = JsonDocument.Parse(manifest);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null);
            return (TextProperty(root, "name"), TextProperty(root, "version"));
        }
        catch (JsonException)
        {
            // package.json only feeds the NOTICE; a broken one is not worth refusing the images for.
            return (null, null);
        }
    }

    private static string? TextProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Printable(string name) =>
        new(name.Select(c => char.IsControl(c) ? '?' : c).Take(200).ToArray());
}
