using Matryoshka.Training.Data;

namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// Images listed in a tab-separated index in the style of ml-mdm's shard TSVs: a header row naming the columns, an
/// image path column (default <c>file</c>; paths relative to the TSV's folder) and a caption column (default
/// <c>caption</c>). Several rows with the same image give it several captions, one of which each epoch uses. Fields are
/// split on tabs without quoting; blank lines are ignored. The index is parsed and checked at construction; images are
/// decoded and preprocessed on <see cref="Load"/> as <see cref="ImageDatasetOptions"/> describes. ml-mdm's tar-packed
/// shards are not read: extract them first.
/// </summary>
public sealed class TsvIndexDataset : ITrainingDataset
{
    private readonly TsvIndex.Entry[] _entries;
    private readonly ImageSampleReader _reader;

    /// <summary>Reads and checks the index at <paramref name="tsvPath"/>.</summary>
    /// <exception cref="TsvIndexFormatException">The index is unreadable, lacks a named column, lists no image, or a row is malformed (the message names the line).</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public TsvIndexDataset(string tsvPath, ImageDatasetOptions options, TsvIndexOptions? index = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tsvPath);
        _reader = new ImageSampleReader(options);
        IndexOptions = index ?? new TsvIndexOptions();
        IndexOptions.Validate();
        Options = options;
        IndexPath = Path.GetFullPath(tsvPath);
        _entries = TsvIndex.Read(IndexPath, IndexOptions).ToArray();
    }

    /// <summary>The index file, as a full path.</summary>
    public string IndexPath { get; }

    /// <summary>The image options in use.</summary>
    public ImageDatasetOptions Options { get; }

    /// <summary>The column options in use.</summary>
    public TsvIndexOptions IndexOptions { get; }

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <summary>The captions the index gives sample <paramref name="index"/> (possibly none).</summary>
    public IReadOnlyList<string> CaptionsOf(int index)
    {
        CheckIndex(index);
        return _entries[index].Captions.AsReadOnly();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidTrainingSampleException">The image is missing, corrupt, hostile or too large.</exception>
    public TrainingSample Load(int index)
    {
        CheckIndex(index);
        var entry = _entries[index];
        return _reader.Read(index, entry.Path, entry.Captions.ToArray());
    }

    /// <summary>The full path of sample <paramref name="index"/>'s image file.</summary>
    public string Describe(int index)
    {
        CheckIndex(index);
        return _entries[index].Path;
    }

    private void CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
    }
}
