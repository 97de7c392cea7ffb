using Matryoshka.Training.Data;
using Xunit;

namespace Matryoshka.Tests.Training.Data;

public class FashionMnistDatasetTests
{
    // Image n, row y, column x holds (n·50 + y·7 + x) mod 256: every pixel of the first images is distinct.
    private static byte Pixel(int n, int y, int x) => (byte)((n * 50 + y * 7 + x) % 256);

    private static (string Images, string Labels) Write(TempFolder folder, params byte[] labels)
    {
        var images = folder.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(labels.Length, 28, 28, Pixel)));
        return (images, folder.Write("train-labels-idx1-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels(labels))));
    }

    [Fact]
    public void Class_names_follow_the_label_order_of_the_dataset()
    {
        Assert.Equal(
            new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" },
            FashionMnistDataset.ClassNames);
    }

    [Fact]
    public void At_32_pixels_the_image_is_centred_on_a_two_pixel_background_border()
    {
        using var folder = new TempFolder();
        var (images, labels) = Write(folder, 0, 9, 3);
        var dataset = new FashionMnistDataset(images, labels);
        Assert.Equal(3, dataset.Count);

        var sample = dataset.Load(1);
        Assert.Equal((1, 32, 32), (sample.Channels, sample.Height, sample.Width));
        Assert.Equal(9, sample.Label);
        Assert.Equal(new[] { "Ankle boot" }, sample.Captions);
        float background = -127f / 128f; // byte 0 under ml-mdm's (x − 127) / 128.
        Assert.Equal(background, sample.Pixels[0]);
        Assert.Equal(background, sample.Pixels[1 * 32 + 31]);
        Assert.Equal(background, sample.Pixels[31 * 32 + 2]);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                Assert.Equal((Pixel(1, y, x) - 127f) / 128f, sample.Pixels[(y + 2) * 32 + x + 2]);
        Assert.Equal((64 - 127f) / 128f, sample.Pixels[2 * 32 + 16]); // image 1, row 0, column 14: 50 + 14.
    }

    [Fact]
    public void Sixteen_pixels_is_the_32_pixel_sample_box_averaged_as_the_lower_pyramid_level()
    {
        using var folder = new TempFolder();
        var (images, labels) = Write(folder, 2, 7);
        var full = new FashionMnistDataset(images, labels, new FashionMnistOptions { Channels = 3 }).Load(1);
        var low = new FashionMnistDataset(images, labels, new FashionMnistOptions { Resolution = 16, Channels = 3 }).Load(1);
        Assert.Equal((3, 16, 16), (low.Channels, low.Height, low.Width));
        Assert.Equal(7, low.Label);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 16; x++)
                {
                    float sum = 0;
                    foreach (var (dy, dx) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
                        sum += full.Pixels[c * 1024 + (2 * y + dy) * 32 + 2 * x + dx];
                    Assert.Equal(sum / 4, low.Pixels[c * 256 + y * 16 + x], 6);
                }
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionMnistDataset(images, labels, new FashionMnistOptions { Resolution = 12 }));
    }

    [Fact]
    public void Larger_resolutions_enlarge_by_whole_factors_and_three_channels_replicate_the_gray_plane()
    {
        using var folder = new TempFolder();
        var (images, labels) = Write(folder, 4);
        var options = new FashionMnistOptions { Resolution = 60, Channels = 3, Normalization = PixelNormalization.Standard };
        var sample = new FashionMnistDataset(images, labels, options).Load(0);
        Assert.Equal((3, 60, 60), (sample.Channels, sample.Height, sample.Width));
        Assert.Equal(new[] { "Coat" }, sample.Captions);
        // Factor 2 (56 pixels) and a 2-pixel border; pixel (y, x) covers rows and columns 2 + 2y … 3 + 2y.
        int plane = 60 * 60;
        float expected = Pixel(0, 5, 9) / 127.5f - 1f;
        foreach (var (row, column) in new[] { (12, 20), (12, 21), (13, 20), (13, 21) })
            for (int c = 0; c < 3; c++)
                Assert.Equal(expected, sample.Pixels[c * plane + row * 60 + column]);
        Assert.Equal(-1f, sample.Pixels[2 * plane + 59 * 60 + 59]);
    }

    [Fact]
    public void Batches_of_fashion_mnist_carry_labels_and_class_names()
    {
        using var folder = new TempFolder();
        var (images, labels) = Write(folder, 0, 1, 2, 3, 4, 5);
        using var batches = new TrainingBatches(new FashionMnistDataset(images, labels),
            new TrainingBatchesOptions { BatchSize = 3, PrefetchBatches = 0 });
        var batch = batches.Next();
        Assert.Equal(batch.Labels!.Select(l => FashionMnistDataset.ClassNames[l]), batch.Captions);
        Assert.Equal(3 * 32 * 32, batch.Pixels.Length);
    }

    [Fact]
    public void Mismatched_or_invalid_files_are_refused_at_construction()
    {
        using var folder = new TempFolder();
        var (images, _) = Write(folder, 1, 2);
        var threeLabels = folder.Write("three.idx", IdxBytes.Labels(1, 2, 3));
        Assert.Contains("holds 3 labels but the image file", Assert.Throws<IdxFormatException>(() => new FashionMnistDataset(images, threeLabels)).Problem);
        var badLabel = folder.Write("bad.idx", IdxBytes.Labels(1, 10));
        Assert.Contains("label 1 is 10", Assert.Throws<IdxFormatException>(() => new FashionMnistDataset(images, badLabel)).Problem);
        var small = folder.Write("small.idx", IdxBytes.Images(2, 27, 28, Pixel));
        Assert.Contains("28×27 images", Assert.Throws<IdxFormatException>(() => new FashionMnistDataset(small, badLabel)).Problem);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionMnistDataset(images, threeLabels, new FashionMnistOptions { Resolution = 27 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionMnistDataset(images, threeLabels, new FashionMnistOptions { Channels = 2 }));
    }

    [Fact]
    public void Locate_finds_gzipped_or_raw_files_and_explains_how_to_install_missing_ones()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<DatasetNotFoundException>(() => FashionMnistFiles.Locate(FashionMnistSplit.Test, folder.Path));
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.Contains(folder.File("t10k-images-idx3-ubyte.gz"), error.SearchedPaths);

        folder.Write("t10k-images-idx3-ubyte", IdxBytes.Images(1, 28, 28, Pixel));
        folder.Write("t10k-labels-idx1-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels(8)));
        var files = FashionMnistFiles.Locate(FashionMnistSplit.Test, folder.Path);
        Assert.Equal(folder.File("t10k-images-idx3-ubyte"), files.Images);
        Assert.Equal(folder.File("t10k-labels-idx1-ubyte.gz"), files.Labels);
        Assert.Equal(new[] { "Bag" }, FashionMnistDataset.Open(FashionMnistSplit.Test, folder.Path).Load(0).Captions);
    }

    [FashionMnistInstalledFact]
    public void The_installed_test_split_has_ten_thousand_images_a_thousand_per_class()
    {
        var dataset = FashionMnistDataset.Open(FashionMnistSplit.Test);
        Assert.Equal(10_000, dataset.Count);
        var perClass = Enumerable.Range(0, dataset.Count).GroupBy(dataset.LabelOf).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Repeat(1000, 10), Enumerable.Range(0, 10).Select(c => perClass[c]));
    }
}

/// <summary>A fact about the real Fashion-MNIST files: skipped unless Debian's dataset-fashion-mnist package is installed.</summary>
public sealed class FashionMnistInstalledFactAttribute : FactAttribute
{
    public FashionMnistInstalledFactAttribute()
    {
        if (!File.Exists(Path.Combine(FashionMnistFiles.DebianFolder, "t10k-labels-idx1-ubyte.gz")))
            Skip = "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist).";
    }
}
