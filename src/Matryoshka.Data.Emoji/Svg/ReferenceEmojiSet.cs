namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Reads the emoji list of a <c>prepare-emoji</c> output folder (its <c>index.tsv</c>): which emoji the SVG set is
/// made for, their captions, and the images its faithfulness check compares against. Rows whose file name is not a
/// plain code point stem are ignored, so the index can never point outside its folder.
/// </summary>
internal static class ReferenceEmojiSet
{
    private const string Option = nameof(SvgEmojiPreparationOptions.ReferenceFolder);

    /// <summary>The emoji of <paramref name="folder"/> in index order.</summary>
    /// <exception cref="EmojiPreparationException">The folder has no index.tsv, or it is not a prepare-emoji index.</exception>
    public static IReadOnlyList<ReferenceEmoji> Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var index = Path.Combine(folder, EmojiIndexFile.FileName);
        if (!File.Exists(index))
            throw new EmojiPreparationException(Option, $" {folder} has no {EmojiIndexFile.FileName}; run `bash scripts/prepare-emoji.sh` first");
        var lines = File.ReadAllLines(index);
        if (lines.Length == 0 || lines[0] != EmojiIndexFile.Header)
            throw new EmojiPreparationException(Option, $" {index} does not start with the prepare-emoji header");
        var emoji = new List<ReferenceEmoji>();
        foreach (var line in lines.Skip(1))
        {
            var file = line.Split('\t')[0];
            if (!EmojiOutputFolder.IsImageFileName(file))
                continue;
            var stem = file[..^4];
            emoji.Add(new ReferenceEmoji(stem, line, Path.Combine(folder, file), Path.Combine(folder, stem + ".txt")));
        }
        return emoji;
    }
}
