using Matryoshka.IO;
using Matryoshka.Training.Data;
using Xunit;

namespace Matryoshka.Tests.Training.Data;

public class IdxFileTests
{
    private static byte Pattern(int n, int y, int x) => (byte)(n * 100 + y * 10 + x);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_and_labels_are_read_raw_or_gzipped(bool gzip)
    {
        using var folder = new TempFolder();
        var images = IdxBytes.Images(2, 3, 4, Pattern);
        var labels = IdxBytes.Labels(7, 1);
        // The name does not matter: compression is recognised by the leading bytes.
        var imagesPath = folder.Write("images.idx", gzip ? IdxBytes.Gzip(images) : images);
        var labelsPath = folder.Write("labels.idx", gzip ? IdxBytes.Gzip(labels) : labels);

        var read = IdxFile.ReadImages(imagesPath);
        Assert.Equal((2, 3, 4), (read.Count, read.Rows, read.Columns));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23 }, read.Image(0).ToArray());
        Assert.Equal((byte)123, read.Image(1)[11]);
        Assert.Equal(new byte[] { 7, 1 }, IdxFile.ReadLabels(labelsPath));
    }

    private static IdxFormatException Refused(Func<string, object> read, byte[] content, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.idx", content);
        var error = Assert.Throws<IdxFormatException>(() => read(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains(expected, error.Problem);
        Assert.IsAssignableFrom<InvalidFileException>(error);
        return error;
    }

    [Fact]
    public void A_wrong_magic_number_is_refused_and_a_swapped_file_is_named()
    {
        Refused(p => IdxFile.ReadImages(p), IdxBytes.File(0x12345678, [], []), "starts with 0x12345678");
        Refused(p => IdxFile.ReadImages(p), IdxBytes.Labels(1, 2), "is an IDX label file (magic 2049)");
        Refused(p => IdxFile.ReadLabels(p), IdxBytes.Images(1, 2, 2, Pattern), "is an IDX image file (magic 2051)");
        Refused(p => IdxFile.ReadImages(p), IdxBytes.File(0x0D03, [1, 1, 1], new byte[4]), "element type 0x0D");
    }

    [Fact]
    public void Truncated_and_overlong_files_are_refused()
    {
        var images = IdxBytes.Images(2, 3, 4, Pattern);
        Refused(p => IdxFile.ReadImages(p), images[..^1], "is truncated: it declares [2, 3, 4] = 24 bytes of data but holds 23");
        Refused(p => IdxFile.ReadImages(p), [.. images, 0], "holds 1 bytes after the 24 declared");
        Refused(p => IdxFile.ReadImages(p), IdxBytes.Gzip(images[..^5]), "is truncated");
        Refused(p => IdxFile.ReadImages(p), IdxBytes.Gzip([.. images, 0]), "holds data after the 24 bytes");
        Refused(p => IdxFile.ReadImages(p), images[..10], "ends inside its header");
        Refused(p => IdxFile.ReadImages(p), [0, 0], "too short");
        Refused(p => IdxFile.ReadLabels(p), IdxBytes.Gzip(images)[..20], "");
    }

    [Fact]
    public void Absurd_sizes_are_refused_before_anything_is_allocated()
    {
        // 2³¹ − 1 images of 28×28 declared by a 16-byte file.
        Refused(p => IdxFile.ReadImages(p), IdxBytes.File(0x0803, [int.MaxValue, 28, 28], []), "over the 268435456-byte limit");
        Refused(p => IdxFile.ReadImages(p), IdxBytes.Gzip(IdxBytes.File(0x0803, [400_000, 28, 28], [])), "over the");
        Refused(p => IdxFile.ReadImages(p), IdxBytes.File(0x0803, [1, 0, 28], []), "each side must be 1");
        Refused(p => IdxFile.ReadLabels(p), IdxBytes.File(0x0801, [-1], []), "absurd");
        // Under the limit but far larger than the data: refused as truncated after reading what is there.
        Refused(p => IdxFile.ReadImages(p), IdxBytes.Gzip(IdxBytes.File(0x0803, [100_000, 28, 28], new byte[10])), "holds 10");
    }

    [Fact]
    public void A_missing_file_is_an_idx_error_naming_it()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<IdxFormatException>(() => IdxFile.ReadImages(folder.File("absent.gz")));
        Assert.Contains("cannot be read", error.Problem);
    }
}
