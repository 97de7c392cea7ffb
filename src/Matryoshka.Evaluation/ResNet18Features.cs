namespace Matryoshka.Evaluation;

/// <summary>
/// 512-d ResNet18 image features (the global average pool before the ImageNet classifier) from the ONNX graphs of
/// NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 (a CNTK export of an ImageNet ResNet18). Each image is upscaled
/// bilinearly to 224×224 and given, as RGB planes in 0…255 (what ML.NET's default pixel extraction feeds it), to the
/// package's preprocessing graph, which reverses the planes to BGR and subtracts an ImageNet mean image (plane means
/// 103.1 / 115.9 / 123.2: blue, green, red), then to ResNet18. One image per ONNX call: both graphs declare a batch of 1.
/// </summary>
public sealed class ResNet18Features : IDisposable
{
    /// <summary>Width of the features.</summary>
    public const int Dimension = 512;

    /// <summary>Side of the square input the network takes.</summary>
    public const int InputSize = 224;

    private static readonly long[] InputShape = [1, 3, InputSize, InputSize];
    private readonly OnnxGraph _preprocess, _network;

    /// <exception cref="EvaluationModelException">A model file is missing, unreadable or not the expected graph.</exception>
    public ResNet18Features(ResNet18FeaturesOptions? options = null)
    {
        options ??= new ResNet18FeaturesOptions();
        var folder = options.ModelFolder ?? DefaultFolder;
        _preprocess = Preprocessing(folder, options.IntraOpThreads);
        try
        {
            _network = new OnnxGraph(Path.Combine(folder, "ResNet18.onnx"), "Input247", InputShape, "Pooling395_Output_0", Dimension, options.IntraOpThreads);
        }
        catch
        {
            _preprocess.Dispose();
            throw;
        }
    }

    /// <summary>The package's preprocessing graph on its own (for tests).</summary>
    internal static OnnxGraph Preprocessing(string folder, int? intraOpThreads = null) =>
        new(Path.Combine(folder, "ResNetPreprocess.onnx"), "OriginalInput", InputShape, "PreprocessedInput", 3 * InputSize * InputSize, intraOpThreads);

    /// <summary>The default model folder: models/resnet18 next to the application.</summary>
    internal static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "models", "resnet18");

    /// <summary>
    /// Features of <paramref name="count"/> RGB images stored as 8-bit planes, [count, 3, height, width] row-major
    /// (the layout of a uint8 image tensor). Returns one 512-value vector per image.
    /// </summary>
    /// <exception cref="ArgumentException">The pixel count does not match the shape.</exception>
    public float[][] Extract(ReadOnlySpan<byte> pixels, int count, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        long plane = (long)height * width;
        if (pixels.Length != count * 3 * plane)
            throw new ArgumentException($"{pixels.Length} pixel values do not make {count} RGB images of {width}×{height}.", nameof(pixels));

        var features = new float[count][];
        var source = new float[3 * plane];
        var input = new float[3 * InputSize * InputSize];
        for (int i = 0; i < count; i++)
        {
            var bytes = pixels.Slice((int)(i * 3 * plane), (int)(3 * plane));
            for (int p = 0; p < bytes.Length; p++) source[p] = bytes[p];
            BilinearResize.Planes(source, 3, height, width, input, InputSize, InputSize);
            features[i] = _network.Run(_preprocess.Run(input));
        }
        return features;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
    }
}
