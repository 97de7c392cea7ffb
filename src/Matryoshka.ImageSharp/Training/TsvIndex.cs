namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// Parses a TSV index: a header row naming the columns, then one row per (image, caption) pair, fields separated by
/// tabs, no quoting. Rows naming the same image add captions to one entry; entries keep first-appearance order.
/// </summary>
internal static class TsvIndex
{
    public sealed record Entry(string Path, List<string> Captions);

    /// <exception cref="TsvIndexFormatException">The file is unreadable, lacks a column, or a row is malformed.</exception>
    public static List<Entry> Read(string tsvPath, TsvIndexOptions options)
    {
        try
        {
            using var reader = new StreamReader(tsvPath, detectEncodingFromByteOrderMarks: true);
            return Parse(reader, tsvPath, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TsvIndexFormatException(tsvPath, null, $"cannot be read ({e.Message}).", e);
        }
    }

    private static List<Entry> Parse(TextReader reader, string tsvPath, TsvIndexOptions options)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(tsvPath))!;
        string? header = reader.ReadLine();
        if (header is null || header.Trim().Length == 0)
            throw new TsvIndexFormatException(tsvPath, 1, "expected a header row naming the columns, e.g. \"file<TAB>caption\".");
        var columns = header.Split('\t').Select(c => c.Trim()).ToArray();
        var duplicate = columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new TsvIndexFormatException(tsvPath, 1, $"the header names the column '{duplicate.Key}' twice.");
        int imageColumn = FindColumn(columns, options.ImageColumn, tsvPath);
        int captionColumn = options.CaptionColumn is null ? -1 : FindColumn(columns, options.CaptionColumn, tsvPath);
        if (options.ImageColumn != "tar" && columns.Contains("tar", StringComparer.Ordinal))
            throw new TsvIndexFormatException(tsvPath, 1,
                "the header has a 'tar' column: this is an ml-mdm shard whose images live inside tar archives, which are " +
                "not read here. Extract the archives and list each image's path relative to the TSV in the image column.");

        var entries = new List<Entry>();
        var byPath = new Dictionary<string, Entry>(StringComparer.Ordinal);
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
                continue;
            var fields = line.Split('\t');
            if (fields.Length != columns.Length)
                throw new TsvIndexFormatException(tsvPath, lineNumber,
                    $"has {fields.Length} tab-separated fields but the header names {columns.Length} columns.");
            string path = ResolvePath(fields[imageColumn].Trim(), folder, tsvPath, lineNumber, options);
            if (!byPath.TryGetValue(path, out var entry))
            {
                entry = new Entry(path, []);
                byPath.Add(path, entry);
                entries.Add(entry);
            }
            if (captionColumn >= 0 && fields[captionColumn].Trim() is { Length: > 0 } caption)
                entry.Captions.Add(caption);
        }
        if (entries.Count == 0)
            throw new TsvIndexFormatException(tsvPath, null, "lists no images (only a header).");
        return entries;
    }

    private static int FindColumn(string[] columns, string name, string tsvPath)
    {
        int index = Array.IndexOf(columns, name);
        if (index < 0)
            throw new TsvIndexFormatException(tsvPath, 1,
                $"the header has no '{name}' column (it names: {string.Join(", ", columns.Select(c => $"'{c}'"))}).");
        return index;
    }

    private static string ResolvePath(string value, string folder, string tsvPath, int lineNumber, TsvIndexOptions options)
    {
        if (value.Length == 0)
            throw new TsvIndexFormatException(tsvPath, lineNumber, $"the '{options.ImageColumn}' field is empty.");
        if (value.Contains('\0'))
            throw new TsvIndexFormatException(tsvPath, lineNumber, "the image path contains a NUL character.");
        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(folder, value));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new TsvIndexFormatException(tsvPath, lineNumber, $"the image path '{value}' is not a valid path ({e.Message}).", e);
        }
        if (!options.AllowPathsOutsideFolder && !IsInside(full, folder))
            throw new TsvIndexFormatException(tsvPath, lineNumber,
                $"the image path '{value}' leads outside the index's folder '{folder}' (set AllowPathsOutsideFolder to permit it).");
        return full;
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && !Path.IsPathRooted(relative);
    }
}
