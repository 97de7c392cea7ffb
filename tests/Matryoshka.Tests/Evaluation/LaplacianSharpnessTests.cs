using Matryoshka.Evaluation;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Evaluation;

/// <summary>The sharpness figure of the 256² evaluation against closed forms.</summary>
public class LaplacianSharpnessTests
{
    [Fact]
    public void Flat_and_linear_images_have_none_and_a_one_pixel_checkerboard_has_sixteen()
    {
        using var scope = NewDisposeScope();
        var flat = full(new long[] { 1, 3, 8, 8 }, 200, dtype: ScalarType.Byte);
        // A ramp in x: the Laplacian of a linear function is zero.
        var ramp = (arange(8, dtype: ScalarType.Int32) * 30).to_type(ScalarType.Byte).expand(1, 3, 8, 8).contiguous();
        // Black and white pixels alternating: every interior Laplacian is ±4 (luma 0 or 1), so its variance is 16.
        var parity = (arange(8).unsqueeze(1) + arange(8).unsqueeze(0)).remainder(2);
        var checkerboard = (parity * 255).to_type(ScalarType.Byte).expand(1, 3, 8, 8).contiguous();

        var figures = LaplacianSharpness.Measure(cat(new[] { flat, ramp, checkerboard }));

        Assert.Equal(0, figures[0], 12);
        Assert.Equal(0, figures[1], 12);
        Assert.Equal(16, figures[2], 9);
    }

    [Fact]
    public void Blurring_an_image_lowers_it()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var sharp = randint(0, 256, new long[] { 1, 3, 32, 32 }, dtype: ScalarType.Int32, generator: generator).to_type(ScalarType.Byte);
        var smaller = nn.functional.avg_pool2d(sharp.to_type(ScalarType.Float32), 4);
        var blurred = nn.functional.interpolate(smaller, new long[] { 32, 32 }, mode: InterpolationMode.Bicubic, align_corners: false)
            .clamp(0, 255).round().to_type(ScalarType.Byte);

        var figures = LaplacianSharpness.Measure(cat(new[] { sharp, blurred }));

        Assert.True(figures[1] < figures[0] / 10, $"blurred {figures[1]} vs sharp {figures[0]}");
    }

    [Fact]
    public void Images_that_are_not_uint8_rgb_or_too_small_are_refused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => LaplacianSharpness.Measure(zeros(1, 3, 8, 8)));
        Assert.Throws<ArgumentException>(() => LaplacianSharpness.Measure(zeros(new long[] { 1, 1, 8, 8 }, dtype: ScalarType.Byte)));
        Assert.Throws<ArgumentException>(() => LaplacianSharpness.Measure(zeros(new long[] { 1, 3, 2, 8 }, dtype: ScalarType.Byte)));
    }
}
