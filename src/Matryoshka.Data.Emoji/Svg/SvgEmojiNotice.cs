using System.Globalization;
using System.Text;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>The <c>NOTICE</c> of an SVG-rendered set: where the art comes from, its licence, what was changed, and the reference set's own NOTICE (the captions' origin).</summary>
internal static class SvgEmojiNotice
{
    public static byte[] Create(SvgEmojiPreparationResult report, string referenceFolder)
    {
        var text = new StringBuilder()
            .Append($"This folder was written by `matryoshka prepare-emoji-svg` from the npm package {report.Package}.\n")
            .Append('\n')
            .Append("Images: Noto Emoji by Google (https://github.com/googlefonts/noto-emoji), as SVG in the Iconify icon set\n")
            .Append("@iconify-json/noto (https://github.com/iconify/icon-sets), licensed under the Apache License, Version 2.0;\n")
            .Append("you may obtain a copy of the License at https://www.apache.org/licenses/LICENSE-2.0\n")
            .Append(string.Format(CultureInfo.InvariantCulture,
                "Changes made here: rendered with {0} to {1} × {1}, transparency composited onto white, saved as 8-bit RGB PNG;\n",
                report.Renderer, report.Resolution))
            .Append(string.Format(CultureInfo.InvariantCulture,
                "emoji whose render, average-pooled, differs from the reference image by more than {0} (mean absolute, 0-255)\n",
                report.MaxDifference))
            .Append($"were left out (see {FaithfulnessFile.FileName}).\n")
            .Append('\n')
            .Append("Captions (.txt files) and index.tsv are copied from the reference set, whose NOTICE follows.\n")
            .Append('\n');
        var referenceNotice = Path.Combine(referenceFolder, EmojiNotice.FileName);
        text.Append(File.Exists(referenceNotice)
            ? "----\n" + File.ReadAllText(referenceNotice).TrimEnd() + "\n"
            : "(the reference folder held no NOTICE to copy)\n");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }
}
