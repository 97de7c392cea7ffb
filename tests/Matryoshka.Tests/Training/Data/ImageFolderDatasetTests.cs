using Matryoshka.ImageSharp;
using Matryoshka.ImageSharp.Training;
using Matryoshka.Training.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Training.Data;

public class ImageFolderDatasetTests
{
    private static readonly ImageDatasetOptions Options = new() { Resolution = 4 };

    private static void WriteImage(TempFolder folder, string name, byte red = 0) =>
        TrainingImageFiles.WritePng(folder, name, TrainingImageFiles.Solid(4, 4, new Rgba32(red, 0, 0)));

    [Fact]
    public void Images_are_listed_in_ordinal_order_of_their_relative_paths()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "b.png", "a.jpg", "A.PNG", "c.jpeg", "sub/d.png", "sub/deeper/e.png", ".hidden.png" })
        {
            if (name.EndsWith("jpg") || name.EndsWith("jpeg"))
            {
                using var image = TrainingImageFiles.Solid(4, 4, new Rgba32(0, 0, 0));
                folder.Write(name, TrainingImageFiles.Jpeg(image));
            }
            else
                WriteImage(folder, name);
        }
        folder.Write("notes.txt", "not an image"u8.ToArray());
        folder.Write("d.gif", [1, 2, 3]);

        var flat = new ImageFolderDataset(folder.Path, Options);
        Assert.Equal(new[] { "A.PNG", "a.jpg", "b.png", "c.jpeg" }, flat.RelativePaths);
        Assert.Equal(Path.Combine(folder.Path, "b.png"), flat.Describe(2));

        var deep = new ImageFolderDataset(folder.Path, Options, recursive: true);
        Assert.Equal(new[] { "A.PNG", "a.jpg", "b.png", "c.jpeg", "sub/d.png", "sub/deeper/e.png" }, deep.RelativePaths);
        Assert.Equal(6, deep.Count);
        Assert.Equal((3, 4, 4), (deep.Load(5).Channels, deep.Load(5).Height, deep.Load(5).Width));
    }

    [Fact]
    public void Recursive_listing_terminates_on_a_symbolic_link_cycle()
    {
        using var folder = new TempFolder();
        WriteImage(folder, "sub/a.png");
        Directory.CreateSymbolicLink(folder.File("sub/loop"), folder.Path);
        var dataset = new ImageFolderDataset(folder.Path, Options, recursive: true);
        Assert.Equal(new[] { "sub/a.png" }, dataset.RelativePaths);

        // A link to a folder outside the tree is followed.
        using var elsewhere = new TempFolder();
        WriteImage(elsewhere, "b.png");
        Directory.CreateSymbolicLink(folder.File("linked"), elsewhere.Path);
        Assert.Equal(new[] { "linked/b.png", "sub/a.png" }, new ImageFolderDataset(folder.Path, Options, recursive: true).RelativePaths);
    }

    [Fact]
    public void Captions_come_from_the_sidecar_text_file_one_per_non_empty_trimmed_line()
    {
        using var folder = new TempFolder();
        WriteImage(folder, "cat.png");
        WriteImage(folder, "dog.png");
        folder.Write("cat.txt", "  a cat on a mat \r\n\r\n   \n\ta sleepy cat\n"u8.ToArray());

        var dataset = new ImageFolderDataset(folder.Path, Options);
        Assert.Equal(new[] { "a cat on a mat", "a sleepy cat" }, dataset.Load(0).Captions);
        Assert.Empty(dataset.Load(1).Captions);

        // An oversized caption file makes the sample invalid rather than exhausting memory.
        folder.Write("dog.txt", new byte[2 * 1024 * 1024]);
        Assert.Contains("dog.txt' is larger than", Assert.Throws<InvalidTrainingSampleException>(() => dataset.Load(1)).Problem);
    }

    [Fact]
    public void Corrupt_truncated_and_disguised_files_are_skipped_counted_and_named()
    {
        using var folder = new TempFolder();
        WriteImage(folder, "good1.png", 10);
        WriteImage(folder, "good2.png", 20);
        WriteImage(folder, "good3.png", 30);
        using (var image = TrainingImageFiles.Solid(64, 64, new Rgba32(1, 2, 3)))
            folder.Write("truncated.png", TrainingImageFiles.Png(image)[..60]);
        folder.Write("garbage.png", Enumerable.Range(0, 500).Select(i => (byte)(i * 37)).ToArray());
        folder.Write("empty.jpg", []);
        folder.Write("gif.png", "GIF89a\x01\x00\x01\x00\x00\x00\x00;"u8.ToArray());

        var dataset = new ImageFolderDataset(folder.Path, Options);
        Assert.Equal(7, dataset.Count);
        int truncated = dataset.RelativePaths.ToList().IndexOf("truncated.png");
        var error = Assert.Throws<InvalidTrainingSampleException>(() => dataset.Load(truncated));
        Assert.Equal(truncated, error.Index);
        Assert.Equal(dataset.Describe(truncated), error.SampleName);
        Assert.Equal($"Training sample {truncated} ({dataset.Describe(truncated)}): {error.Problem}", error.Message);
        Assert.IsType<ImageDecodeException>(error.InnerException);

        using var batches = new TrainingBatches(dataset, new TrainingBatchesOptions { BatchSize = 3, PrefetchBatches = 1 });
        var batch = batches.Next();
        var reds = Enumerable.Range(0, 3).Select(s => batch.Pixels[s * 48]).Order();
        Assert.Equal(new[] { 10, 20, 30 }.Select(r => (r - 127) / 128f), reds);
        Assert.Equal(4, batches.SkippedSamples);
        Assert.Equal(new DataPosition(1, 0), batches.Position);
        foreach (var name in new[] { "truncated.png", "garbage.png", "empty.jpg", "gif.png" })
            Assert.Contains(batches.SkippedDescriptions, d => d.StartsWith(Path.Combine(folder.Path, name) + ": ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_of_only_corrupt_images_ends_in_an_error_instead_of_a_hang()
    {
        using var folder = new TempFolder();
        folder.Write("a.png", [0x89, 0x50, 0x4E, 0x47]);
        folder.Write("b.png", [1, 2, 3]);
        using var batches = new TrainingBatches(new ImageFolderDataset(folder.Path, Options),
            new TrainingBatchesOptions { BatchSize = 1 });
        Assert.Throws<TrainingDataException>(() => batches.Next());
    }

    [Fact]
    public void A_missing_or_imageless_folder_is_refused()
    {
        using var folder = new TempFolder();
        Assert.Contains("does not exist", Assert.Throws<TrainingDataException>(
            () => new ImageFolderDataset(folder.File("absent"), Options)).Message);
        folder.Write("readme.txt", [65]);
        Assert.Contains("holds no .png", Assert.Throws<TrainingDataException>(() => new ImageFolderDataset(folder.Path, Options)).Message);
    }
}
