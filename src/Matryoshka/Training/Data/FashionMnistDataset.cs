namespace Matryoshka.Training.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017) as a class-conditional training set: 28×28 gray images of ten kinds
/// of clothing, light ink on a black background. <see cref="TrainingSample.Label"/> is the class 0 … 9 and the single
/// caption is its name (<see cref="ClassNames"/>). Both files are read into memory at construction and validated
/// there, so <see cref="Load"/> never fails.
/// </summary>
public sealed class FashionMnistDataset : ITrainingDataset
{
    /// <summary>Side of the stored images.</summary>
    public const int ImageSide = 28;

    private static readonly string[] Names =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private readonly IdxImages _images;
    private readonly byte[] _labels;
    private readonly string _imagesPath;
    private readonly int _scale;
    private readonly int _canvas;

    /// <summary>The padded side below which resolutions are made by box-averaging (28 + a 2-pixel border).</summary>
    public const int PaddedSide = 32;
    private readonly int _border;
    private readonly float _background;

    /// <summary>Reads the IDX image and label files (gzip-compressed or raw) and checks that they belong together.</summary>
    /// <exception cref="IdxFormatException">A file is malformed, the images are not 28×28, the counts differ, or a label is not 0 … 9.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FashionMnistDataset(string imagesPath, string labelsPath, FashionMnistOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        Options = options ?? new FashionMnistOptions();
        Options.Validate();

        _images = IdxFile.ReadImages(imagesPath);
        if (_images.Rows != ImageSide || _images.Columns != ImageSide)
            throw new IdxFormatException(imagesPath,
                $"holds {_images.Columns}×{_images.Rows} images; Fashion-MNIST images are {ImageSide}×{ImageSide}.");
        if (_images.Count == 0)
            throw new IdxFormatException(imagesPath, "holds no images.");
        _labels = IdxFile.ReadLabels(labelsPath);
        if (_labels.Length != _images.Count)
            throw new IdxFormatException(labelsPath,
                $"holds {_labels.Length} labels but the image file '{imagesPath}' holds {_images.Count} images.");
        int bad = Array.FindIndex(_labels, l => l >= Names.Length);
        if (bad >= 0)
            throw new IdxFormatException(labelsPath, $"label {bad} is {_labels[bad]}; Fashion-MNIST classes are 0 … {Names.Length - 1}.");

        _imagesPath = imagesPath;
        _canvas = Math.Max(Options.Resolution, PaddedSide);
        _scale = _canvas / ImageSide;
        _border = (_canvas - ImageSide * _scale) / 2;
        _background = Options.Normalization.Normalize(0);
    }

    /// <summary>The ten class names, indexed by label: "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(Names);

    /// <summary>Opens <paramref name="split"/> from <paramref name="folder"/> (default: where Debian's <c>dataset-fashion-mnist</c> installs it).</summary>
    /// <exception cref="DatasetNotFoundException">The files are not there; the message says how to install them.</exception>
    /// <exception cref="IdxFormatException">A file is malformed.</exception>
    public static FashionMnistDataset Open(FashionMnistSplit split, string? folder = null, FashionMnistOptions? options = null)
    {
        var files = FashionMnistFiles.Locate(split, folder);
        return new FashionMnistDataset(files.Images, files.Labels, options);
    }

    /// <summary>The options in use.</summary>
    public FashionMnistOptions Options { get; }

    /// <inheritdoc />
    public int Count => _images.Count;

    /// <summary>The class label of sample <paramref name="index"/>.</summary>
    public int LabelOf(int index)
    {
        CheckIndex(index);
        return _labels[index];
    }

    /// <inheritdoc />
    public TrainingSample Load(int index)
    {
        CheckIndex(index);
        int side = _canvas, plane = side * side;
        var pixels = new float[Math.Max(Options.Channels * Options.Resolution * Options.Resolution, plane)];
        pixels.AsSpan(0, plane).Fill(_background);
        var source = _images.Image(index);
        for (int y = 0; y < ImageSide; y++)
        {
            for (int x = 0; x < ImageSide; x++)
            {
                float value = Options.Normalization.Normalize(source[y * ImageSide + x]);
                int top = _border + y * _scale, left = _border + x * _scale;
                for (int dy = 0; dy < _scale; dy++)
                    pixels.AsSpan((top + dy) * side + left, _scale).Fill(value);
            }
        }
        if (Options.Resolution < side)
        {
            pixels = BoxAverage(pixels, side, Options.Resolution, Options.Channels);
            side = Options.Resolution;
            plane = side * side;
        }
        for (int c = 1; c < Options.Channels; c++)
            pixels.AsSpan(0, plane).CopyTo(pixels.AsSpan(c * plane, plane));
        int label = _labels[index];
        return new TrainingSample(pixels, Options.Channels, side, side, [Names[label]], label);
    }

    // Averages factor×factor blocks of the first plane of a side×side image into a target×target one.
    private static float[] BoxAverage(float[] source, int side, int target, int channels)
    {
        int factor = side / target;
        var result = new float[channels * target * target];
        for (int y = 0; y < target; y++)
            for (int x = 0; x < target; x++)
            {
                float sum = 0;
                for (int dy = 0; dy < factor; dy++)
                    for (int dx = 0; dx < factor; dx++)
                        sum += source[(y * factor + dy) * side + x * factor + dx];
                result[y * target + x] = sum / (factor * factor);
            }
        return result;
    }

    /// <inheritdoc />
    public string Describe(int index) => $"{_imagesPath}[{index}]";

    private void CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
    }
}
