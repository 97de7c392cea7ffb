using Matryoshka.IO;
using Matryoshka.ImageSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Imaging;

public class PngFilesTests
{
    [Fact]
    public void Saved_png_decodes_to_identical_pixels()
    {
        using var folder = new TempFolder();
        using var original = TestImages.Random(31, 17, seed: 5);
        using var scope = NewDisposeScope();
        var values = TensorImages.ToTensor(original);
        var path = folder.File("sample.png");

        PngFiles.SaveAsPng(values, path, PixelConvention.MlMdm);

        using var decoded = new SafeImageDecoder().Load(path);
        Assert.Equal(TestImages.Pixels(original), TestImages.Pixels(decoded));
        Assert.Equal(new[] { "sample.png" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Stream_overload_writes_the_same_png_as_the_file_overload()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var values = rand(new long[] { 1, 3, 8, 8 }, ScalarType.Float32) * 2 - 1;
        var path = folder.File("a.png");
        PngFiles.SaveAsPng(values, path, PixelConvention.Standard);
        using var stream = new MemoryStream();
        PngFiles.SaveAsPng(values, stream, PixelConvention.Standard);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
    }

    [Fact]
    public void A_refused_tensor_leaves_an_existing_file_untouched_and_no_temporary_behind()
    {
        using var folder = new TempFolder();
        var path = folder.Write("keep.png", [1, 2, 3]);
        using var scope = NewDisposeScope();
        var bad = full(3, 4, 4, float.NaN);

        Assert.Throws<ImageTensorException>(() => PngFiles.SaveAsPng(bad, path, PixelConvention.MlMdm));

        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_failed_write_leaves_no_file_behind()
    {
        using var folder = new TempFolder();
        var path = folder.File("never.png");
        using var image = TestImages.Random(4, 4, seed: 1);
        // A directory occupying the target name is refused before anything is written (AtomicFile replaces only
        // regular files), so neither the PNG nor a temporary file is left behind.
        Directory.CreateDirectory(path);

        Assert.Throws<OutputPathException>(() => PngFiles.SaveAsPng(image, path));

        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Saving_a_batch_of_several_is_refused()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        Assert.Throws<ImageTensorException>(() => PngFiles.SaveAsPng(zeros(2, 3, 4, 4), folder.File("x.png"), PixelConvention.MlMdm));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
