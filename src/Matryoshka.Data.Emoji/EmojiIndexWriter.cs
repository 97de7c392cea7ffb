namespace Matryoshka.Data.Emoji;

/// <summary>
/// Keeps an output folder's <c>index.tsv</c> true to what is on disk during a run. <see cref="Start"/> resets the
/// folder and writes a header-only index: should the run stop half-way, the folder still reads as an earlier output
/// that the next run may replace, instead of a foreign folder it refuses. A cancelled run first records the rows
/// written so far, so the next run deletes exactly those files.
/// </summary>
internal sealed class EmojiIndexWriter
{
    private readonly string _path;
    private readonly List<string> _rows = [];

    private EmojiIndexWriter(string folder) => _path = Path.Combine(folder, EmojiIndexFile.FileName);

    /// <summary>Creates <paramref name="folder"/> or removes an earlier output from it, and writes the header-only index.</summary>
    public static EmojiIndexWriter Start(string folder)
    {
        EmojiOutputFolder.Reset(folder);
        var writer = new EmojiIndexWriter(folder);
        writer.Finish();
        return writer;
    }

    /// <summary>Records one written emoji's row (see <see cref="EmojiIndexFile.Row"/>).</summary>
    public void Add(string row) => _rows.Add(row);

    /// <summary>When <paramref name="cancellationToken"/> is cancelled, writes the rows so far and throws.</summary>
    public void ThrowIfCancelled(CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
            return;
        Finish();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Writes the index with every row added.</summary>
    public void Finish() => File.WriteAllBytes(_path, EmojiIndexFile.Encode(_rows));
}
