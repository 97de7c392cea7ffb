namespace Matryoshka.Training.Data;

/// <summary>Where the Fashion-MNIST IDX files of a split are.</summary>
/// <param name="Images">The image file (<c>*-images-idx3-ubyte</c>, gzip-compressed or raw).</param>
/// <param name="Labels">The label file (<c>*-labels-idx1-ubyte</c>, gzip-compressed or raw).</param>
public sealed record FashionMnistFiles(string Images, string Labels)
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Finds <paramref name="split"/>'s files in <paramref name="folder"/> (default <see cref="DebianFolder"/>), under
    /// their original names with or without <c>.gz</c>.
    /// </summary>
    /// <exception cref="DatasetNotFoundException">A file is missing; the message says how to install the dataset.</exception>
    public static FashionMnistFiles Locate(FashionMnistSplit split, string? folder = null)
    {
        folder ??= DebianFolder;
        string prefix = split switch
        {
            FashionMnistSplit.Train => "train",
            FashionMnistSplit.Test => "t10k",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown Fashion-MNIST split."),
        };
        var searched = new List<string>();
        string? images = Find(folder, $"{prefix}-images-idx3-ubyte", searched);
        string? labels = Find(folder, $"{prefix}-labels-idx1-ubyte", searched);
        if (images is null || labels is null)
            throw new DatasetNotFoundException(
                $"The Fashion-MNIST {split.ToString().ToLowerInvariant()} files are not in '{folder}' (looked for " +
                $"{string.Join(", ", searched.Select(Path.GetFileName))}). On Debian or Ubuntu install them with " +
                "'apt-get install dataset-fashion-mnist' (they go to " + DebianFolder + "); elsewhere download the four " +
                "*-ubyte.gz files from https://github.com/zalandoresearch/fashion-mnist into a folder and pass that folder.",
                searched);
        return new FashionMnistFiles(images, labels);
    }

    private static string? Find(string folder, string name, List<string> searched)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            var path = Path.Combine(folder, candidate);
            searched.Add(path);
            if (File.Exists(path))
                return path;
        }
        return null;
    }
}
