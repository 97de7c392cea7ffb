namespace Matryoshka.Data.Emoji.Svg;

/// <summary>What <see cref="IconifyPackageReader"/> keeps of an Iconify JSON npm tarball (<c>@iconify-json/noto</c>).</summary>
/// <param name="Path">The tarball the contents came from.</param>
/// <param name="Icons">The parsed icons, aliases and code point map.</param>
/// <param name="PackageName">The package's name from <c>package.json</c>, when present and readable.</param>
/// <param name="PackageVersion">The package's version from <c>package.json</c>, when present and readable.</param>
internal sealed record IconifyPackage(string Path, IconifyIconSet Icons, string? PackageName, string? PackageVersion)
{
    /// <summary>"@iconify-json/noto 1.2.9", or the tarball's file name when package.json does not say.</summary>
    public string Describe() =>
        PackageName is { } name && PackageVersion is { } version ? $"{name} {version}" : System.IO.Path.GetFileName(Path);
}
