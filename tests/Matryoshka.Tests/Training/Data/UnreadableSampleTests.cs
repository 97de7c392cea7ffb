using Matryoshka.ImageSharp;
using Matryoshka.ImageSharp.Training;
using Matryoshka.Tests.Imaging;
using Matryoshka.Training.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Training.Data;

/// <summary>One unreadable sample is skipped and named; it never ends a run with a framework exception.</summary>
public class UnreadableSampleTests
{
    private static readonly ImageDatasetOptions Options = new() { Resolution = 4 };

    private static void WriteImage(TempFolder folder, string name, byte red) =>
        TrainingImageFiles.WritePng(folder, name, TrainingImageFiles.Solid(4, 4, new Rgba32(red, 0, 0)));

    [Theory]
    [InlineData(0u, 4u)]
    [InlineData(4u, 0u)]
    [InlineData(0x7FFFFFFFu, 1u)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu)]
    public void A_png_declaring_an_empty_or_absurd_size_is_a_typed_refusal_naming_the_file(uint width, uint height)
    {
        using var folder = new TempFolder();
        var path = folder.Write("odd.png", HostilePngs.Declaring(width, height));
        var error = Assert.Throws<ImageDecodeException>(() => new SafeImageDecoder().Load(path));
        Assert.Equal(path, error.SourceName);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Zero_width_image_and_non_utf8_caption_are_skipped_and_named_while_good_samples_train()
    {
        using var folder = new TempFolder();
        WriteImage(folder, "good1.png", 10);
        WriteImage(folder, "good2.png", 20);
        folder.Write("zero.png", HostilePngs.Declaring(0, 4));
        WriteImage(folder, "latin1.png", 30);
        folder.Write("latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x0A]); // "café" in Latin-1

        var dataset = new ImageFolderDataset(folder.Path, Options);
        int latin1 = dataset.RelativePaths.ToList().IndexOf("latin1.png");
        Assert.Contains("is not valid UTF-8", Assert.Throws<InvalidTrainingSampleException>(() => dataset.Load(latin1)).Problem);

        using var batches = new TrainingBatches(dataset, new TrainingBatchesOptions { BatchSize = 2 });
        var batch = batches.Next();
        Assert.Equal(2, batch.BatchSize);
        Assert.Equal(2, batches.SkippedSamples);
        Assert.Contains(batches.SkippedDescriptions, d => d.StartsWith(Path.Combine(folder.Path, "zero.png") + ": ", StringComparison.Ordinal) && d.Contains("0×4"));
        Assert.Contains(batches.SkippedDescriptions, d => d.StartsWith(Path.Combine(folder.Path, "latin1.png") + ": ", StringComparison.Ordinal));
    }

    [Fact]
    public void Too_few_usable_samples_refuse_the_run_listing_the_skipped_files()
    {
        using var folder = new TempFolder();
        WriteImage(folder, "good.png", 10);
        folder.Write("zero.png", HostilePngs.Declaring(0, 4));
        WriteImage(folder, "huge-caption.png", 20);
        folder.Write("huge-caption.txt", new byte[2 * 1024 * 1024]);

        using var batches = new TrainingBatches(new ImageFolderDataset(folder.Path, Options), new TrainingBatchesOptions { BatchSize = 2, DropLast = true });
        var error = Assert.Throws<TrainingDataException>(() => batches.Next());
        Assert.Contains("only 1 usable samples of 3", error.Message);
        Assert.Contains("zero.png", error.Message);
        Assert.Contains("huge-caption.txt' is larger than", error.Message);
    }
}
