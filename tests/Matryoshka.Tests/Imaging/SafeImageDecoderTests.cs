using Matryoshka.ImageSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Imaging;

public class SafeImageDecoderTests
{
    private static ImageDecodeException Refused(SafeImageDecoder decoder, string path, ImageDecodeFailure failure)
    {
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Load(path));
        Assert.Equal(failure, error.Failure);
        Assert.Equal(path, error.SourceName);
        Assert.Contains(path, error.Message);
        Assert.IsAssignableFrom<MatryoshkaException>(error);
        return error;
    }

    [Fact]
    public void Png_decodes_to_its_pixels()
    {
        using var folder = new TempFolder();
        using var original = TestImages.Random(20, 12, seed: 9);
        var path = folder.Write("ok.png", TestImages.Encode(original, new PngEncoder()));
        using var decoded = new SafeImageDecoder().Load(path);
        Assert.Equal(TestImages.Pixels(original), TestImages.Pixels(decoded));
    }

    [Fact]
    public void Jpeg_decodes()
    {
        using var folder = new TempFolder();
        using var original = TestImages.Random(24, 16, seed: 2);
        var path = folder.Write("ok.jpg", TestImages.Encode(original, new JpegEncoder()));
        using var decoded = new SafeImageDecoder().Load(path);
        Assert.Equal((24, 16), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Stream_input_decodes_and_names_the_stream_in_errors()
    {
        using var stream = new MemoryStream(TestImages.Png(6, 5, seed: 4));
        using var decoded = new SafeImageDecoder().Load(stream, "upload");
        Assert.Equal((6, 5), (decoded.Width, decoded.Height));

        var error = Assert.Throws<ImageDecodeException>(() => new SafeImageDecoder().Load(new MemoryStream([1, 2, 3]), "upload"));
        Assert.Contains("'upload'", error.Message);
    }

    public static TheoryData<string, IImageEncoder> OtherFormats => new()
    {
        { "GIF", new GifEncoder() },
        { "BMP", new BmpEncoder() },
        { "TIFF", new TiffEncoder() },
        { "WebP", new WebpEncoder() },
    };

    [Theory]
    [MemberData(nameof(OtherFormats))]
    public void Other_formats_are_refused_as_unsupported(string format, IImageEncoder encoder)
    {
        using var folder = new TempFolder();
        using var image = TestImages.Random(8, 8, seed: 1);
        var path = folder.Write("image." + format.ToLowerInvariant(), TestImages.Encode(image, encoder));
        var error = Refused(new SafeImageDecoder(), path, ImageDecodeFailure.UnsupportedFormat);
        Assert.Contains($"a {format} image", error.Message);
        Assert.Contains("only PNG and JPEG", error.Message);
    }

    [Fact]
    public void Truncated_png_is_refused_as_corrupt()
    {
        using var folder = new TempFolder();
        var png = TestImages.Png(64, 64, seed: 3);
        var path = folder.Write("cut.png", png[..(png.Length / 2)]);
        Refused(new SafeImageDecoder(), path, ImageDecodeFailure.Corrupt);
    }

    [Fact]
    public void Random_bytes_are_refused_as_unsupported()
    {
        using var folder = new TempFolder();
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        var path = folder.Write("noise.bin", bytes);
        var error = Refused(new SafeImageDecoder(), path, ImageDecodeFailure.UnsupportedFormat);
        Assert.Contains("not a recognised image", error.Message);
    }

    [Fact]
    public void Image_over_the_pixel_limit_is_refused()
    {
        using var folder = new TempFolder();
        var path = folder.Write("big.png", TestImages.Png(100, 100, seed: 6));
        var decoder = new SafeImageDecoder(new SafeImageDecoderOptions { MaxPixels = 50 * 50 });
        var error = Refused(decoder, path, ImageDecodeFailure.TooManyPixels);
        Assert.Contains("100×100", error.Message);
    }

    [Fact]
    public void Pixel_limit_is_checked_from_the_header_before_decoding()
    {
        // Only the signature and IHDR chunk of a 100×100 PNG: decoding would fail as corrupt, so
        // a pixel-limit refusal proves the header was checked first.
        using var folder = new TempFolder();
        var png = TestImages.Png(100, 100, seed: 6);
        var path = folder.Write("header-only.png", png[..33]);
        var decoder = new SafeImageDecoder(new SafeImageDecoderOptions { MaxPixels = 50 * 50 });
        Refused(decoder, path, ImageDecodeFailure.TooManyPixels);
        Refused(new SafeImageDecoder(), path, ImageDecodeFailure.Corrupt);
    }

    [Fact]
    public void File_over_the_size_limit_is_refused()
    {
        using var folder = new TempFolder();
        var png = TestImages.Png(16, 16, seed: 8);
        var path = folder.Write("heavy.png", png);
        var decoder = new SafeImageDecoder(new SafeImageDecoderOptions { MaxFileBytes = png.Length - 1 });
        var error = Refused(decoder, path, ImageDecodeFailure.FileTooLarge);
        Assert.Contains($"{png.Length - 1}-byte limit", error.Message);
    }

    [Fact]
    public void Decoding_over_the_allocation_cap_is_refused()
    {
        using var folder = new TempFolder();
        using var blank = new Image<Rgb24>(2048, 2048);
        var path = folder.Write("wide.png", TestImages.Encode(blank, new PngEncoder()));
        var decoder = new SafeImageDecoder(new SafeImageDecoderOptions { AllocationLimitMegabytes = 1 });
        Refused(decoder, path, ImageDecodeFailure.MemoryLimit);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        using var folder = new TempFolder();
        var path = folder.Write("empty.png", []);
        Refused(new SafeImageDecoder(), path, ImageDecodeFailure.Empty);
    }

    [Fact]
    public void Missing_file_is_refused()
    {
        using var folder = new TempFolder();
        var error = Refused(new SafeImageDecoder(), folder.File("absent.png"), ImageDecodeFailure.Unreadable);
        Assert.IsType<FileNotFoundException>(error.InnerException);
    }
}
