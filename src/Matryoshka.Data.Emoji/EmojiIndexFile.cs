using System.Text;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// <c>index.tsv</c>: a header line, then one line per emoji written, in file-name order, with the tab-separated
/// columns file, name, category, subcategory and captions (joined by " | "). Fields never hold tabs or line breaks.
/// </summary>
internal static class EmojiIndexFile
{
    public const string FileName = "index.tsv";
    public const string Header = "file\tname\tcategory\tsubcategory\tcaptions";

    public static string Row(string imageFile, EmojiRecord emoji, IReadOnlyList<string> captions) =>
        string.Join('\t', imageFile, Field(emoji.SkinTone is null ? emoji.Name : $"{emoji.Name}: {emoji.SkinTone}"),
            Field(emoji.Category), Field(emoji.Subcategory), Field(string.Join(" | ", captions)));

    public static byte[] Encode(IEnumerable<string> rows)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var row in rows) text.Append(row).Append('\n');
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    private static string Field(string value) => new(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
