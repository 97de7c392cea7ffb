using System.Text;
using System.Text.Json;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// Reads an emoji-datasource npm tarball (<c>npm pack emoji-datasource-google@16.0.0</c>) directly, without
/// unpacking it to disk: one pass over the gzip-compressed tar keeps <c>package/emoji.json</c>,
/// <c>package/package.json</c>, <c>package/LICENSE</c> and the PNGs under <c>package/img/google/64/</c>.
/// Every entry name is checked (a name such as <c>../evil.png</c> refuses the whole archive), only regular files
/// are read (links are ignored), and the sizes in <see cref="EmojiPackageLimits"/> are enforced.
/// </summary>
internal static class EmojiPackageReader
{
    private const string Root = "package/";
    private const string CatalogEntry = Root + "emoji.json";
    private const string ManifestEntry = Root + "package.json";
    private const string LicenseEntry = Root + "LICENSE";

    /// <summary>The folder inside the package that holds the 64 × 64 Google (Noto) images.</summary>
    public const string ImageFolder = Root + "img/google/64/";

    /// <summary>Reads the package at <paramref name="path"/>.</summary>
    /// <exception cref="EmojiPackageException">The file is missing, unreadable, not a .tgz, unsafe, over a limit, or has no emoji.json.</exception>
    public static EmojiPackage Read(string path, EmojiPackageLimits? limits = null) =>
        NpmTarball.Open(path, file => Read(file, path, limits));

    /// <summary>Reads a package from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="EmojiPackageException">The stream is not a .tgz, is unsafe, breaks a limit, or has no emoji.json.</exception>
    public static EmojiPackage Read(Stream stream, string sourceName, EmojiPackageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= new EmojiPackageLimits();
        byte[]? catalog = null, manifest = null, license = null;
        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var oversized = new SortedSet<string>(StringComparer.Ordinal);
        NpmTarball.Read(stream, sourceName, limits.MaxEntries, limits.MaxUnpackedBytes, LimitFor, (name, bytes) =>
        {
            switch (name)
            {
                case CatalogEntry:
                    catalog = bytes ?? throw new EmojiPackageException(sourceName, $"{CatalogEntry} is larger than {limits.MaxCatalogBytes:N0} bytes");
                    break;
                case ManifestEntry:
                    manifest = bytes;
                    break;
                case LicenseEntry:
                    license = bytes;
                    break;
                default:
                    var fileName = name[ImageFolder.Length..];
                    if (bytes is not null) images[fileName] = bytes;
                    else oversized.Add(fileName);
                    break;
            }
        });

        if (catalog is null)
            throw new EmojiPackageException(sourceName, $"has no {CatalogEntry}; is it an emoji-datasource package?");
        var (packageName, version) = ReadManifest(manifest);
        return new EmojiPackage(sourceName, catalog, images, oversized, packageName, version,
            license is null ? null : Encoding.UTF8.GetString(license));

        long? LimitFor(string name) => name switch
        {
            CatalogEntry => limits.MaxCatalogBytes,
            ManifestEntry or LicenseEntry => limits.MaxTextBytes,
            _ when name.StartsWith(ImageFolder, StringComparison.Ordinal) && name.IndexOf('/', ImageFolder.Length) < 0 => limits.MaxImageBytes,
            _ => null,
        };
    }

    /// <summary>The name and version in a package.json; nulls when it is absent or unreadable.</summary>
    internal static (string? Name, string? Version) ReadManifest(byte[]? manifest)
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
}
