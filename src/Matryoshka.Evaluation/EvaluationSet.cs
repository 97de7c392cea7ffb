using Matryoshka.ImageSharp;
using Matryoshka.ImageSharp.Training;
using Matryoshka.Training.Data;

namespace Matryoshka.Evaluation;

/// <summary>
/// The real images of an image folder with caption sidecars (the prepared emoji set), each with its first caption —
/// for emoji the plain name ("a red apple"), the caption a user would most likely type.
/// </summary>
public sealed class EvaluationSet
{
    private EvaluationSet(IReadOnlyList<CaptionedImage> images, IReadOnlyList<string> skipped) =>
        (Images, SkippedSamples) = (images, skipped);

    /// <summary>The usable images, in the folder's ordinal file order.</summary>
    public IReadOnlyList<CaptionedImage> Images { get; }

    /// <summary>Images left out: unreadable, or without a caption.</summary>
    public int Skipped => SkippedSamples.Count;

    /// <summary>"file: reason" for each image left out, in the folder's file order.</summary>
    public IReadOnlyList<string> SkippedSamples { get; }

    /// <summary>Reads every image of <paramref name="folder"/> at <paramref name="resolution"/>² RGB.</summary>
    /// <exception cref="TrainingDataException">The folder does not exist or holds no image.</exception>
    public static EvaluationSet Load(string folder, int resolution)
    {
        var dataset = new ImageFolderDataset(folder, new ImageDatasetOptions { Resolution = resolution, Convention = PixelConvention.Standard });
        var images = new List<CaptionedImage>(dataset.Count);
        var skipped = new List<string>();
        for (int i = 0; i < dataset.Count; i++)
        {
            try
            {
                var sample = dataset.Load(i);
                if (sample.Captions.Count == 0) { skipped.Add($"{dataset.Describe(i)}: it has no caption."); continue; }
                images.Add(new CaptionedImage(dataset.Describe(i), sample.Pixels, resolution, sample.Captions[0]));
            }
            catch (InvalidTrainingSampleException e)
            {
                skipped.Add($"{dataset.Describe(i)}: {e.Problem}");
            }
        }
        return new EvaluationSet(images, skipped);
    }

    /// <summary>A seeded permutation of the image indices: the first ones are the evaluated images.</summary>
    public int[] Order(ulong seed) => DataShuffle.Permutation(Images.Count, seed, epoch: 0);
}
