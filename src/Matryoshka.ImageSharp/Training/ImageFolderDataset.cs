using Matryoshka.Training.Data;

namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// Every PNG and JPEG file (<c>.png</c>, <c>.jpg</c>, <c>.jpeg</c>, any case) in a folder, optionally with its
/// subfolders, in ordinal order of their '/'-separated relative paths. Captions come from a sidecar text file next to
/// each image (<c>cat.png</c> → <c>cat.txt</c>, one caption per non-empty line); an image without one has no captions.
/// Hidden files (names starting with '.') are ignored; links to folders are followed, each real folder once. Images
/// are decoded and preprocessed on <see cref="Load"/> as <see cref="ImageDatasetOptions"/> describes.
/// </summary>
public sealed class ImageFolderDataset : ITrainingDataset
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    private readonly string[] _relativePaths;
    private readonly ImageSampleReader _reader;

    /// <summary>Lists the images of <paramref name="folder"/> (and its subfolders when <paramref name="recursive"/>).</summary>
    /// <exception cref="TrainingDataException">The folder does not exist or holds no PNG or JPEG file.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ImageFolderDataset(string folder, ImageDatasetOptions options, bool recursive = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _reader = new ImageSampleReader(options);
        Options = options;
        Folder = Path.GetFullPath(folder);
        if (!Directory.Exists(Folder))
            throw new TrainingDataException($"The image folder '{Folder}' does not exist.");

        _relativePaths = FolderListing.Files(Folder, recursive)
            .Where(path => ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            .Select(path => Path.GetRelativePath(Folder, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (_relativePaths.Length == 0)
            throw new TrainingDataException(
                $"The image folder '{Folder}' holds no .png, .jpg or .jpeg files{(recursive ? "" : " (subfolders were not searched)")}.");
        RelativePaths = Array.AsReadOnly(_relativePaths);
    }

    /// <summary>The dataset's folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary>The options in use.</summary>
    public ImageDatasetOptions Options { get; }

    /// <summary>Each sample's path relative to <see cref="Folder"/>, '/'-separated, in index order.</summary>
    public IReadOnlyList<string> RelativePaths { get; }

    /// <inheritdoc />
    public int Count => _relativePaths.Length;

    /// <inheritdoc />
    /// <exception cref="InvalidTrainingSampleException">The image or its caption file is missing, corrupt, hostile or too large.</exception>
    public TrainingSample Load(int index)
    {
        var path = Describe(index);
        return _reader.Read(index, path, SidecarCaptions.Read(index, path));
    }

    /// <summary>The full path of sample <paramref name="index"/>'s image file.</summary>
    public string Describe(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Path.Combine(Folder, _relativePaths[index]);
    }
}
