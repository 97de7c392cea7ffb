using Matryoshka.Data.Emoji.Svg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Data.EmojiSvg;

public class PooledDifferenceTests
{
    [Fact]
    public void Pools_exact_block_means_and_averages_absolute_channel_differences()
    {
        // 4×4 image, 2×2 blocks. Top-left block holds 0, 100, 200, 100 in red: mean 100 (no rounding). Every other
        // channel and block is constant, so the pooled image is known in closed form.
        using var image = new Image<Rgb24>(4, 4, new Rgb24(10, 20, 30));
        image[0, 0] = new Rgb24(0, 20, 30);
        image[1, 0] = new Rgb24(100, 20, 30);
        image[0, 1] = new Rgb24(200, 20, 30);
        image[1, 1] = new Rgb24(101, 20, 30);
        using var reference = new Image<Rgb24>(2, 2, new Rgb24(10, 20, 30));
        reference[1, 1] = new Rgb24(13, 26, 0);

        // Pooled top-left red = 401 / 4 = 100.25 against 10: 90.25. Bottom-right: |10-13| + |20-26| + |30-0| = 39.
        // Total 129.25 over 2×2 pixels × 3 channels.
        Assert.Equal(129.25 / 12, PooledDifference.Compute(image, reference), 12);
    }

    [Fact]
    public void Identical_images_of_the_same_size_differ_by_zero()
    {
        using var image = new Image<Rgb24>(3, 3, new Rgb24(1, 2, 3));
        using var same = image.Clone();

        Assert.Equal(0, PooledDifference.Compute(image, same));
    }

    [Fact]
    public void Black_against_white_is_the_full_255()
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24(0, 0, 0));
        using var reference = new Image<Rgb24>(2, 2, new Rgb24(255, 255, 255));

        Assert.Equal(255, PooledDifference.Compute(image, reference));
    }

    [Theory]
    [InlineData(10, 10, 4, 4)]
    [InlineData(8, 4, 4, 4)]
    [InlineData(2, 2, 4, 4)]
    public void Sizes_that_do_not_pool_by_a_whole_factor_are_refused(int width, int height, int referenceWidth, int referenceHeight)
    {
        using var image = new Image<Rgb24>(width, height);
        using var reference = new Image<Rgb24>(referenceWidth, referenceHeight);

        Assert.Throws<ArgumentException>(() => PooledDifference.Compute(image, reference));
    }
}
