using Matryoshka.ImageSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Imaging;

public class AlphaCompositingTests
{
    [Theory]
    [InlineData(0, 0, 0, 0, 255, 255, 255)]
    [InlineData(255, 0, 0, 128, 255, 127, 127)]
    [InlineData(255, 0, 0, 127, 255, 128, 128)]
    [InlineData(10, 20, 30, 255, 10, 20, 30)]
    [InlineData(0, 0, 0, 1, 254, 254, 254)]
    public void Straight_alpha_blends_onto_white_exactly(byte r, byte g, byte b, byte a, byte er, byte eg, byte eb)
    {
        using var image = new Image<Rgba32>(1, 1, new Rgba32(r, g, b, a));

        using var flat = AlphaCompositing.OntoWhite(image);

        Assert.Equal(new Rgb24(er, eg, eb), flat[0, 0]);
    }

    [Fact]
    public void Any_background_colour_can_be_used()
    {
        using var image = new Image<Rgba32>(2, 1);
        image[0, 0] = new Rgba32(0, 0, 0, 0);
        image[1, 0] = new Rgba32(200, 100, 0, 255);

        using var flat = AlphaCompositing.OntoBackground(image, new Rgb24(0, 64, 128));

        Assert.Equal(new Rgb24(0, 64, 128), flat[0, 0]);
        Assert.Equal(new Rgb24(200, 100, 0), flat[1, 0]);
    }

    [Fact]
    public void The_safe_decoder_keeps_alpha_when_asked()
    {
        using var source = new Image<Rgba32>(2, 1);
        source[0, 0] = new Rgba32(0, 0, 0, 0);
        source[1, 0] = new Rgba32(255, 0, 0, 128);
        using var png = new MemoryStream();
        source.Save(png, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        png.Position = 0;

        using var decoded = new SafeImageDecoder().Load<Rgba32>(png, "two.png");

        Assert.Equal(new Rgba32(255, 0, 0, 128), decoded[1, 0]);
        Assert.Equal(0, decoded[0, 0].A);
    }

    [Fact]
    public void Decoding_with_alpha_refuses_what_the_plain_decoder_refuses()
    {
        using var garbage = new MemoryStream([1, 2, 3, 4]);

        var error = Assert.Throws<ImageDecodeException>(() => new SafeImageDecoder().Load<Rgba32>(garbage, "junk.png"));

        Assert.Equal(ImageDecodeFailure.UnsupportedFormat, error.Failure);
    }
}
