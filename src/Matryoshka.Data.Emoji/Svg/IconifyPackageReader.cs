namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Reads an Iconify JSON npm tarball (<c>npm pack @iconify-json/noto@1.2.9</c>) directly, without unpacking it to
/// disk, under <see cref="IconifyLimits"/>: keeps <c>package/icons.json</c>, <c>package/chars.json</c> and
/// <c>package/package.json</c>. The archive checks are those of <see cref="NpmTarball"/>.
/// </summary>
internal static class IconifyPackageReader
{
    private const string IconsEntry = "package/icons.json";
    private const string CharsEntry = "package/chars.json";
    private const string ManifestEntry = "package/package.json";

    /// <summary>Reads the package at <paramref name="path"/>.</summary>
    /// <exception cref="EmojiPackageException">The file is missing, unreadable, not a .tgz, unsafe, over a limit, or not an Iconify icon set.</exception>
    public static IconifyPackage Read(string path, IconifyLimits? limits = null) =>
        NpmTarball.Open(path, file => Read(file, path, limits));

    /// <summary>Reads a package from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="EmojiPackageException">The stream is not a .tgz, is unsafe, breaks a limit, or is not an Iconify icon set.</exception>
    public static IconifyPackage Read(Stream stream, string sourceName, IconifyLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= new IconifyLimits();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        NpmTarball.Read(stream, sourceName, limits.MaxEntries, limits.MaxUnpackedBytes, LimitFor, (name, bytes) =>
            files[name] = bytes ?? throw new EmojiPackageException(sourceName, $"{name} is larger than {LimitFor(name):N0} bytes"));

        foreach (var required in new[] { IconsEntry, CharsEntry })
            if (!files.ContainsKey(required))
                throw new EmojiPackageException(sourceName, $"has no {required}; is it an Iconify JSON package such as @iconify-json/noto?");
        var icons = IconifyIconSetParser.Parse(files[IconsEntry], files[CharsEntry], sourceName, limits);
        var (name, version) = EmojiPackageReader.ReadManifest(files.GetValueOrDefault(ManifestEntry));
        return new IconifyPackage(sourceName, icons, name, version);

        long? LimitFor(string name) => name switch
        {
            IconsEntry => limits.MaxIconsBytes,
            CharsEntry or ManifestEntry => limits.MaxTextBytes,
            _ => null,
        };
    }
}
