using System.Text.RegularExpressions;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// Guards the output folder: it must be absent, empty, or an earlier output of this preparation (recognised by its
/// <c>index.tsv</c> header). An earlier output is replaced by deleting exactly the files its index lists plus
/// <c>index.tsv</c> and <c>NOTICE</c>; nothing else is ever deleted.
/// </summary>
internal static partial class EmojiOutputFolder
{
    /// <summary>The options property that names the output folder in both preparations.</summary>
    private const string Option = nameof(EmojiPreparationOptions.OutputFolder);

    /// <summary>Refuses a folder this preparation must not write into; creates nothing.</summary>
    /// <exception cref="EmojiPreparationException">The path is a file, or a non-empty folder that is not an earlier output.</exception>
    public static void Check(string folder)
    {
        if (File.Exists(folder))
            throw new EmojiPreparationException(Option, $" {folder} is a file; give a folder (it is created when absent)");
        if (!Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any())
            return;
        if (!IsEarlierOutput(folder))
            throw new EmojiPreparationException(Option,
                $" {folder} is not empty and holds no earlier prepare-emoji output ({EmojiIndexFile.FileName}); give an empty or new folder");
    }

    /// <summary>Creates the folder, or removes an earlier output's files from it.</summary>
    public static void Reset(string folder)
    {
        Check(folder);
        Directory.CreateDirectory(folder);
        if (!IsEarlierOutput(folder))
            return;
        var index = Path.Combine(folder, EmojiIndexFile.FileName);
        foreach (var line in File.ReadLines(index).Skip(1))
        {
            var file = line.Split('\t')[0];
            if (!IsImageFileName(file))
                continue;
            File.Delete(Path.Combine(folder, file));
            File.Delete(Path.Combine(folder, Path.ChangeExtension(file, ".txt")));
        }
        File.Delete(Path.Combine(folder, EmojiNotice.FileName));
        File.Delete(index);
    }

    private static bool IsEarlierOutput(string folder)
    {
        var index = Path.Combine(folder, EmojiIndexFile.FileName);
        if (!File.Exists(index))
            return false;
        using var reader = new StreamReader(index);
        return reader.ReadLine() == EmojiIndexFile.Header;
    }

    /// <summary>True for a PNG name this preparation writes: a lower-case code point stem and <c>.png</c>, nothing that could leave the folder.</summary>
    public static bool IsImageFileName(string file) => OutputImage().IsMatch(file);

    [GeneratedRegex("^[0-9a-f]{1,6}(-[0-9a-f]{1,6}){0,15}\\.png\\z")]
    private static partial Regex OutputImage();
}
