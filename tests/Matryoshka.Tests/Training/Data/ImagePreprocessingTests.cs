using Matryoshka.ImageSharp;
using Matryoshka.ImageSharp.Training;
using Matryoshka.Training.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Training.Data;

public class ImagePreprocessingTests
{
    private static TrainingSample LoadOne(TempFolder folder, ImageDatasetOptions options) =>
        new ImageFolderDataset(folder.Path, options).Load(0);

    private static float At(TrainingSample sample, int channel, int y, int x) =>
        sample.Pixels[(channel * sample.Height + y) * sample.Width + x];

    [Theory]
    [InlineData(PixelConvention.MlMdm, -0.9140625f, 0.0078125f, 0.9609375f)] // (10 − 127)/128, (128 − 127)/128, (250 − 127)/128
    [InlineData(PixelConvention.Standard, -0.92156863f, 0.003921628f, 0.96078432f)] // 10/127.5 − 1, 128/127.5 − 1, 250/127.5 − 1
    public void A_solid_colour_becomes_exact_model_values(PixelConvention convention, float red, float green, float blue)
    {
        using var folder = new TempFolder();
        TrainingImageFiles.WritePng(folder, "solid.png", TrainingImageFiles.Solid(16, 16, new Rgba32(10, 128, 250)));
        var sample = LoadOne(folder, new ImageDatasetOptions { Resolution = 16, Convention = convention });
        Assert.Equal((3, 16, 16), (sample.Channels, sample.Height, sample.Width));
        Assert.Equal(3 * 16 * 16, sample.Pixels.Length);
        Assert.All(sample.Pixels[..256], v => Assert.Equal(red, v, 3e-7f));
        Assert.All(sample.Pixels[256..512], v => Assert.Equal(green, v, 3e-7f));
        Assert.All(sample.Pixels[512..], v => Assert.Equal(blue, v, 3e-7f));
        Assert.Null(sample.Label);
    }

    [Theory]
    [InlineData(80, 60)] // shrink (Lanczos-3) with a crop
    [InlineData(6, 9)]   // enlarge (bicubic) with a crop
    public void Resampling_keeps_a_solid_colour_exact(int width, int height)
    {
        using var folder = new TempFolder();
        TrainingImageFiles.WritePng(folder, "solid.png", TrainingImageFiles.Solid(width, height, new Rgba32(200, 30, 90)));
        var sample = LoadOne(folder, new ImageDatasetOptions { Resolution = 16 });
        Assert.Equal((3, 16, 16), (sample.Channels, sample.Height, sample.Width));
        Assert.All(sample.Pixels[..256], v => Assert.Equal((200 - 127) / 128f, v));
        Assert.All(sample.Pixels[256..512], v => Assert.Equal((30 - 127) / 128f, v));
        Assert.All(sample.Pixels[512..], v => Assert.Equal((90 - 127) / 128f, v));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_centre_crop_keeps_the_middle_stripe(bool vertical)
    {
        using var folder = new TempFolder();
        TrainingImageFiles.WritePng(folder, "stripes.png", TrainingImageFiles.Stripes(vertical ? 48 : 16, vertical ? 16 : 48, vertical));
        var sample = LoadOne(folder, new ImageDatasetOptions { Resolution = 16 });
        Assert.All(sample.Pixels[..256], v => Assert.Equal(-127 / 128f, v)); // no red
        Assert.All(sample.Pixels[256..512], v => Assert.Equal(1f, v));       // all green
        Assert.All(sample.Pixels[512..], v => Assert.Equal(-127 / 128f, v)); // no blue
    }

    [Fact]
    public void Shrinking_then_cropping_keeps_the_middle_stripe_after_resampling()
    {
        using var folder = new TempFolder();
        // 192×64 → 48×16 (factor 4) → middle 16 columns, which come from source columns 64 … 127: the green stripe.
        TrainingImageFiles.WritePng(folder, "stripes.png", TrainingImageFiles.Stripes(192, 64, vertical: true));
        var sample = LoadOne(folder, new ImageDatasetOptions { Resolution = 16 });
        for (int y = 0; y < 16; y++)
        {
            // Lanczos-3 shrinking by 4 reaches 12 source pixels = 3 output pixels: columns 3 … 12 see only green.
            for (int x = 3; x < 13; x++)
                Assert.Equal((-127 / 128f, 1f, -127 / 128f), (At(sample, 0, y, x), At(sample, 1, y, x), At(sample, 2, y, x)));
            // At the edges green still dominates its neighbours' colours.
            foreach (int x in new[] { 0, 15 })
                Assert.True(At(sample, 1, y, x) > 0.4f && At(sample, 0, y, x) < 0f && At(sample, 2, y, x) < 0f);
        }
    }

    [Fact]
    public void Transparency_is_composited_onto_white_by_default()
    {
        using var folder = new TempFolder();
        var image = TrainingImageFiles.Solid(4, 4, new Rgba32(0, 0, 0, 0)); // transparent black
        image[2, 1] = new Rgba32(255, 0, 0, 128);                           // half-transparent red
        image[3, 3] = new Rgba32(0, 0, 255, 255);                           // opaque blue
        TrainingImageFiles.WritePng(folder, "emoji.png", image);
        var sample = LoadOne(folder, new ImageDatasetOptions { Resolution = 4 });

        Assert.Equal((1f, 1f, 1f), (At(sample, 0, 0, 0), At(sample, 1, 0, 0), At(sample, 2, 0, 0)));
        // Red over white at α = 128: R = 255, G = B = round(255 · 127 / 255) = 127 → 0 under (x − 127)/128.
        Assert.Equal((1f, 0f, 0f), (At(sample, 0, 1, 2), At(sample, 1, 1, 2), At(sample, 2, 1, 2)));
        Assert.Equal((-127 / 128f, -127 / 128f, 1f), (At(sample, 0, 3, 3), At(sample, 1, 3, 3), At(sample, 2, 3, 3)));
    }

    [Fact]
    public void The_background_colour_and_gray_output_are_configurable()
    {
        using var folder = new TempFolder();
        TrainingImageFiles.WritePng(folder, "clear.png", TrainingImageFiles.Solid(4, 4, new Rgba32(255, 255, 255, 0)));
        var onBlue = LoadOne(folder, new ImageDatasetOptions { Resolution = 4, Background = new Rgb24(0, 0, 255) });
        Assert.Equal((-127 / 128f, -127 / 128f, 1f), (At(onBlue, 0, 2, 2), At(onBlue, 1, 2, 2), At(onBlue, 2, 2, 2)));

        var gray = LoadOne(folder, new ImageDatasetOptions { Resolution = 4, Channels = 1, Convention = PixelConvention.Standard });
        Assert.Equal((1, 16), (gray.Channels, gray.Pixels.Length));
        Assert.All(gray.Pixels, v => Assert.Equal(1f, v)); // white background → luminance 255 → 1.
    }

    [Fact]
    public void Jpeg_files_are_read()
    {
        using var folder = new TempFolder();
        using (var image = TrainingImageFiles.Solid(20, 20, new Rgba32(100, 100, 100)))
            folder.Write("gray.jpeg", TrainingImageFiles.Jpeg(image));
        var sample = LoadOne(folder, new ImageDatasetOptions { Resolution = 10 });
        Assert.All(sample.Pixels, v => Assert.Equal((100 - 127) / 128f, v, 2 / 128f)); // JPEG is lossy: within 2 levels.
    }

    [Fact]
    public void Extremely_elongated_images_are_refused_as_invalid_samples()
    {
        using var folder = new TempFolder();
        TrainingImageFiles.WritePng(folder, "line.png", TrainingImageFiles.Solid(650, 10, new Rgba32(1, 2, 3)));
        var error = Assert.Throws<InvalidTrainingSampleException>(() => LoadOne(folder, new ImageDatasetOptions { Resolution = 8 }));
        Assert.Contains("650×10", error.Message);
        Assert.Contains("line.png", error.Message);
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        using var folder = new TempFolder();
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageFolderDataset(folder.Path, new ImageDatasetOptions { Resolution = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageFolderDataset(folder.Path, new ImageDatasetOptions { Resolution = 8, Channels = 4 }));
    }
}
