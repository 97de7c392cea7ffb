using System.Diagnostics;
using System.Globalization;
using Matryoshka.Conditioning;
using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;
using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>
/// Caption retrieval and FD-ResNet18 for a text-to-image pipeline: generates one image for the first caption of each
/// of <see cref="EvaluationSettings.FrechetImages"/> seeded-chosen real images, then (a) for the first
/// <see cref="EvaluationSettings.RetrievalQueries"/> of them asks whether the nearest real image (cosine similarity of
/// ResNet18 features over the whole set, and again of coarse pixel features) is the captioned one, and (b) measures
/// the Fréchet distance between the ResNet18 features of the generated images and those of the same real images,
/// beside the distance between two halves of the real set, and (c) compares their <see cref="LaplacianSharpness"/> with the
/// real images'. Generated and real images both pass through 8-bit quantisation, as saved PNGs would.
/// </summary>
/// <param name="generate">Images ([B, 3, H, W], standard range) for a batch of captions and their per-image seeds.</param>
/// <param name="features">The feature extractor.</param>
public sealed class GenerationEvaluation(Func<IReadOnlyList<string>, IReadOnlyList<ulong>, Tensor> generate, IImageFeatureExtractor features)
{
    private static readonly PixelFeatureExtractor PixelFeatures = new();
    private (EvaluationSet Set, float[][] Features, float[][] Pixels, double[] Sharpness)? _real; // the real set's features, reused by later runs on it

    /// <summary>An evaluation of a text-to-image pipeline guided against the empty prompt.</summary>
    /// <param name="pipeline">The model to evaluate.</param>
    /// <param name="encoder">Encodes the captions (and the empty negative prompt).</param>
    /// <param name="settings">How to sample.</param>
    /// <param name="features">The feature extractor.</param>
    public static GenerationEvaluation ForPipeline(MatryoshkaPipeline pipeline, ITextEncoder encoder, EvaluationSettings settings, IImageFeatureExtractor features) =>
        ForPipeline(() => (pipeline, encoder), settings, features);

    /// <summary>
    /// The same for whichever pipeline <paramref name="current"/> returns when images are generated: one evaluation
    /// (and its real features, computed once) serves a series of models, as in an experiment.
    /// </summary>
    /// <param name="current">The pipeline and text encoder to sample with now.</param>
    /// <param name="settings">How to sample.</param>
    /// <param name="features">The feature extractor.</param>
    public static GenerationEvaluation ForPipeline(Func<(MatryoshkaPipeline Pipeline, ITextEncoder Encoder)> current, EvaluationSettings settings,
        IImageFeatureExtractor features) =>
        new((captions, seeds) =>
        {
            var (pipeline, encoder) = current();
            using var result = pipeline.Generate(new GenerationRequest
            {
                Conditioning = encoder.Encode(captions, pipeline.Device),
                NegativeConditioning = encoder.Encode(new[] { "" }, pipeline.Device),
                BatchSize = captions.Count,
                Steps = settings.Steps,
                GuidanceScale = settings.Guidance,
                Seeds = seeds,
            });
            var images = result.Images.detach();
            return settings.UpscaleTo is { } side && side != images.shape[^1]
                ? nn.functional.interpolate(images, new long[] { side, side }, mode: InterpolationMode.Bicubic, align_corners: false)
                : images.clone();
        }, features);

    /// <summary>Generates the images, on this thread, and measures them against <paramref name="set"/>.</summary>
    /// <param name="set">The real images.</param>
    /// <param name="settings">What to measure and how to sample.</param>
    /// <param name="progress">Told when generation begins and after every batch, on this thread.</param>
    /// <param name="samplesFolder">Also write every generated image as a PNG into this existing folder (<see cref="SampleFileName"/>).</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="EvaluationSettingsException">A setting is out of range for the set.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public EvaluationReport Run(EvaluationSet set, EvaluationSettings settings, IProgress<EvaluationProgress>? progress = null, string? samplesFolder = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate(set.Images.Count);
        var order = set.Order(settings.Seed);
        var chosen = order.Take(Math.Max(settings.RetrievalQueries, settings.FrechetImages)).ToArray();

        var clock = Stopwatch.StartNew();
        var (generated, generatedPixels, generatedSharpness) = Generate(set, chosen.Select(i => set.Images[i].Caption).ToArray(), settings, progress, samplesFolder, cancellationToken);
        double generationSeconds = clock.Elapsed.TotalSeconds;

        var (real, realPixels, realSharpness) = _real is { } cached && ReferenceEquals(cached.Set, set) ? (cached.Features, cached.Pixels, cached.Sharpness) : RealFeatures(set);
        _real = (set, real, realPixels, realSharpness);
        var queried = chosen.Take(settings.RetrievalQueries).ToArray();
        var retrieval = CaptionRetrieval.Score(generated.Take(settings.RetrievalQueries).ToArray(), real, queried);
        var pixelRetrieval = CaptionRetrieval.Score(generatedPixels.Take(settings.RetrievalQueries).ToArray(), realPixels, queried);
        var misses = retrieval.Ranks.Select((rank, q) => (rank, q)).Where(r => r.rank > 5)
            .Select(r => new RetrievalMiss(set.Images[chosen[r.q]].Caption, r.rank)).ToArray();

        var fdImages = chosen.Take(settings.FrechetImages).ToArray();
        double fdGenerated = FrechetDistance.Compute(generated.Take(settings.FrechetImages).ToArray(), fdImages.Select(i => real[i]).ToArray());
        int half = order.Length / 2;
        double fdReal = FrechetDistance.Compute(order.Take(half).Select(i => real[i]).ToArray(), order.Skip(half).Take(half).Select(i => real[i]).ToArray());
        // The floor at the generated side's sample size: the same real images against as many real images not evaluated.
        var others = order.Skip(chosen.Length).Take(settings.FrechetImages).ToArray();
        double? fdRealSameSize = others.Length == settings.FrechetImages
            ? FrechetDistance.Compute(fdImages.Select(i => real[i]).ToArray(), others.Select(i => real[i]).ToArray())
            : null;
        return new EvaluationReport(retrieval.Top1, retrieval.TopK, settings.RetrievalQueries, fdGenerated, fdReal,
            settings.FrechetImages, half, real.Length, misses, settings, generationSeconds, pixelRetrieval.Top1, pixelRetrieval.TopK, fdRealSameSize)
        {
            SharpnessGenerated = generatedSharpness.Take(settings.FrechetImages).Average(),
            SharpnessReal = realSharpness.Average(),
        };
    }

    /// <summary>The file name of generated image <paramref name="index"/> in a samples folder (its query's position).</summary>
    public static string SampleFileName(int index) => string.Create(CultureInfo.InvariantCulture, $"{index:D4}.png");

    // ResNet18 and pixel features and the sharpness of every generated image.
    private (float[][] Features, float[][] Pixels, double[] Sharpness) Generate(EvaluationSet set, IReadOnlyList<string> captions, EvaluationSettings settings,
        IProgress<EvaluationProgress>? progress, string? samplesFolder, CancellationToken cancellationToken)
    {
        var all = new List<float[]>(captions.Count);
        var pixels = new List<float[]>(captions.Count);
        var sharpness = new List<double>(captions.Count);
        var clock = Stopwatch.StartNew();
        progress?.Report(new EvaluationProgress(set.Images.Count, set.Skipped, 0, captions.Count, TimeSpan.Zero) { SkippedSamples = set.SkippedSamples });
        for (int start = 0; start < captions.Count; start += settings.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(settings.BatchSize, captions.Count - start);
            using var batchScope = NewDisposeScope();
            var images = generate(captions.Skip(start).Take(count).ToArray(), Enumerable.Range(start, count).Select(i => settings.Seed + (ulong)i).ToArray());
            var bytes = PixelQuantizer.ToBytes(images, PixelConvention.Standard, "generated images");
            all.AddRange(features.Extract(bytes));
            pixels.AddRange(PixelFeatures.Extract(bytes));
            sharpness.AddRange(LaplacianSharpness.Measure(bytes));
            if (samplesFolder is not null)
                for (int i = 0; i < count; i++)
                    PngFiles.SaveAsPng(images[i], Path.Combine(samplesFolder, SampleFileName(start + i)), PixelConvention.Standard);
            progress?.Report(new EvaluationProgress(set.Images.Count, set.Skipped, start + count, captions.Count, clock.Elapsed));
        }
        return (all.ToArray(), pixels.ToArray(), sharpness.ToArray());
    }

    private (float[][] Features, float[][] Pixels, double[] Sharpness) RealFeatures(EvaluationSet set)
    {
        var all = new List<float[]>(set.Images.Count);
        var pixels = new List<float[]>(set.Images.Count);
        var sharpness = new List<double>(set.Images.Count);
        const int Chunk = 64;
        for (int start = 0; start < set.Images.Count; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var images = set.Images.Skip(start).Take(Chunk).ToArray();
            int size = images[0].Size;
            var values = images.SelectMany(image => image.Pixels).ToArray();
            var batch = tensor(values, new long[] { images.Length, 3, size, size }, ScalarType.Float32);
            var bytes = PixelQuantizer.ToBytes(batch, PixelConvention.Standard, "real images");
            all.AddRange(features.Extract(bytes));
            pixels.AddRange(PixelFeatures.Extract(bytes));
            sharpness.AddRange(LaplacianSharpness.Measure(bytes));
        }
        return (all.ToArray(), pixels.ToArray(), sharpness.ToArray());
    }
}
