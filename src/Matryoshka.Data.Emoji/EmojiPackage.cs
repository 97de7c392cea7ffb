namespace Matryoshka.Data.Emoji;

/// <summary>What <see cref="EmojiPackageReader"/> keeps of an emoji-datasource npm tarball, all in memory.</summary>
/// <param name="Path">The tarball the contents came from.</param>
/// <param name="Catalog">The bytes of <c>package/emoji.json</c>.</param>
/// <param name="Images">The 64 px images by file name (<c>1f34e.png</c>), from <c>package/img/google/64/</c>.</param>
/// <param name="OversizedImages">Image file names whose entries were over <see cref="EmojiPackageLimits.MaxImageBytes"/>.</param>
/// <param name="PackageName">The package's name from <c>package.json</c>, when present and readable.</param>
/// <param name="PackageVersion">The package's version from <c>package.json</c>, when present and readable.</param>
/// <param name="License">The text of <c>package/LICENSE</c> (the data's MIT licence), when present.</param>
internal sealed record EmojiPackage(
    string Path,
    byte[] Catalog,
    IReadOnlyDictionary<string, byte[]> Images,
    IReadOnlySet<string> OversizedImages,
    string? PackageName,
    string? PackageVersion,
    string? License);
