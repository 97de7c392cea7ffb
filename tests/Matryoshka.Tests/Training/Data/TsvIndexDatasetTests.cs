using System.Text;
using Matryoshka.ImageSharp.Training;
using Matryoshka.Training.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Training.Data;

public class TsvIndexDatasetTests
{
    private static readonly ImageDatasetOptions Options = new() { Resolution = 4 };

    private static string WriteIndex(TempFolder folder, string text, string name = "index.tsv") =>
        folder.Write(name, Encoding.UTF8.GetBytes(text));

    private static void WriteImage(TempFolder folder, string name, byte green) =>
        TrainingImageFiles.WritePng(folder, name, TrainingImageFiles.Solid(4, 4, new Rgba32(0, green, 0)));

    [Fact]
    public void Rows_name_images_relative_to_the_index_and_repeated_images_collect_captions()
    {
        using var folder = new TempFolder();
        WriteImage(folder, "img/a.png", 255);
        WriteImage(folder, "img/b.png", 127);
        var index = WriteIndex(folder,
            "file\tcaption\nimg/a.png\ta cat\nimg/b.png\t\n\nimg/a.png\t  a small cat \r\n");

        var dataset = new TsvIndexDataset(index, Options);
        Assert.Equal(2, dataset.Count);
        Assert.Equal(Path.Combine(folder.Path, "img", "a.png"), dataset.Describe(0));
        Assert.Equal(new[] { "a cat", "a small cat" }, dataset.CaptionsOf(0));
        Assert.Empty(dataset.CaptionsOf(1));
        var a = dataset.Load(0);
        Assert.Equal(new[] { "a cat", "a small cat" }, a.Captions);
        Assert.All(a.Pixels[16..32], v => Assert.Equal(1f, v));
        Assert.All(dataset.Load(1).Pixels[16..32], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Column_names_are_configurable_and_captions_optional()
    {
        using var folder = new TempFolder();
        WriteImage(folder, "x.png", 0);
        var index = WriteIndex(folder, "id\ttext\tpath\n1\thello\tx.png\n");
        var dataset = new TsvIndexDataset(index, Options, new TsvIndexOptions { ImageColumn = "path", CaptionColumn = "text" });
        Assert.Equal(new[] { "hello" }, dataset.CaptionsOf(0));
        var silent = new TsvIndexDataset(index, Options, new TsvIndexOptions { ImageColumn = "path", CaptionColumn = null });
        Assert.Empty(silent.Load(0).Captions);
    }

    private static TsvIndexFormatException Malformed(string text, int? line, string expected, TsvIndexOptions? options = null)
    {
        using var folder = new TempFolder();
        var index = WriteIndex(folder, text);
        var error = Assert.Throws<TsvIndexFormatException>(() => new TsvIndexDataset(index, Options, options));
        Assert.Equal(line, error.LineNumber);
        Assert.Equal(Path.GetFullPath(index), error.FilePath);
        Assert.Contains(expected, error.Problem);
        if (line is not null)
            Assert.Contains($"line {line}:", error.Message);
        return error;
    }

    [Fact]
    public void Malformed_rows_are_refused_with_their_line_number()
    {
        Malformed("file\tcaption\na.png\tfine\nb.png\ttoo\tmany\n", 3, "has 3 tab-separated fields but the header names 2 columns");
        Malformed("file\tcaption\na.png\tfine\n\nno-tab-here\n", 4, "has 1 tab-separated fields");
        Malformed("file\tcaption\n\ta caption with no image\n", 2, "the 'file' field is empty");
        Malformed("file\tcaption\n../outside.png\tescape\n", 2, "leads outside the index's folder");
        Malformed("file\tcaption\n/etc/passwd\tabsolute\n", 2, "leads outside the index's folder");
    }

    [Fact]
    public void A_bad_header_is_refused()
    {
        Malformed("", 1, "expected a header row");
        Malformed("image\tcaption\na.png\tx\n", 1, "has no 'file' column (it names: 'image', 'caption')");
        Malformed("file\ttext\na.png\tx\n", 1, "has no 'caption' column");
        Malformed("file\tfile\tcaption\n", 1, "names the column 'file' twice");
        Malformed("tar\tfile\tcaption\nshard.tar\t0001.jpg\tx\n", 1, "tar archives");
        Malformed("file\tcaption\n\n", null, "lists no images");
    }

    [Fact]
    public void Paths_outside_the_folder_can_be_allowed_and_missing_images_are_skipped_samples()
    {
        using var folder = new TempFolder();
        var index = WriteIndex(folder, "file\tcaption\n../elsewhere/missing.png\tgone\n");
        var dataset = new TsvIndexDataset(index, Options, new TsvIndexOptions { AllowPathsOutsideFolder = true });
        var error = Assert.Throws<InvalidTrainingSampleException>(() => dataset.Load(0));
        Assert.Contains("missing.png", error.Message);
    }
}
