using System.Text;

namespace Matryoshka.Data.Emoji;

/// <summary>The <c>NOTICE</c> written next to the images: where they come from, their licences, and what was changed.</summary>
internal static class EmojiNotice
{
    public const string FileName = "NOTICE";

    public static byte[] Create(EmojiPackage package, int resolution)
    {
        var source = Describe(package);
        var resized = resolution == 64 ? "" : $", resized from 64 × 64 to {resolution} × {resolution}";
        var text = new StringBuilder()
            .Append($"This folder was written by `matryoshka prepare-emoji` from the npm package {source}.\n")
            .Append('\n')
            .Append("Images: Noto Emoji by Google (https://github.com/googlefonts/noto-emoji), licensed under the\n")
            .Append("Apache License, Version 2.0; you may obtain a copy of the License at\n")
            .Append("https://www.apache.org/licenses/LICENSE-2.0\n")
            .Append($"Changes made here: transparency composited onto white, saved as 8-bit RGB PNG{resized}.\n")
            .Append('\n')
            .Append("Emoji names, short names and categories, from which the captions (.txt files, index.tsv) were\n")
            .Append("built: emoji-datasource by Cal Henderson (https://github.com/iamcal/emoji-data), MIT License")
            .Append(package.License is null ? " (the package holds no LICENSE file to copy here).\n" : ", as shipped in the package:\n")
            .Append('\n');
        if (package.License is { } license)
            text.Append(Clean(license).TrimEnd()).Append('\n');
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    /// <summary>"emoji-datasource-google 16.0.0" from package.json, or the tarball's file name when it has none.</summary>
    public static string Describe(EmojiPackage package) =>
        package.PackageName is { } name && package.PackageVersion is { } version
            ? OneLine($"{name} {version}")
            : OneLine(Path.GetFileName(package.Path));

    private static string OneLine(string text) => new(text.Select(c => char.IsControl(c) ? ' ' : c).Take(200).ToArray());

    private static string Clean(string text) =>
        new(text.Replace("\r\n", "\n", StringComparison.Ordinal).Select(c => c == '\n' || !char.IsControl(c) ? c : ' ').ToArray());
}
