using Matryoshka.Diffusion;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Diffusion;

public class ImagePyramidTests
{
    [Fact]
    public void Each_level_averages_blocks_of_the_level_above()
    {
        using var scope = NewDisposeScope();
        var image = arange(16, dtype: ScalarType.Float64).reshape(1, 1, 4, 4);
        var levels = ImagePyramid.Build(image, new[] { 4, 2, 1 });
        // Blocks of the 4×4 ramp 0..15: {0,1,4,5} → 2.5, {2,3,6,7} → 4.5, {8,9,12,13} → 10.5, {10,11,14,15} → 12.5.
        TensorAssert.Close(tensor(new[] { 2.5, 4.5, 10.5, 12.5 }, dtype: ScalarType.Float64).reshape(1, 1, 2, 2), levels[1], 1e-12, "2×2");
        TensorAssert.Close(full(new long[] { 1, 1, 1, 1 }, 7.5, dtype: ScalarType.Float64), levels[2], 1e-12, "1×1");
        TensorAssert.Close(image, levels[0], 0, "level 0 is the image");
    }

    [Fact]
    public void Mean_is_preserved_at_every_level_and_channels_stay_separate()
    {
        using var scope = NewDisposeScope();
        var image = randn(new long[] { 2, 3, 32, 32 }, dtype: ScalarType.Float64, generator: new Generator(3));
        var levels = ImagePyramid.Build(image, new[] { 32, 16, 8 });
        Assert.Equal(new long[] { 2, 3, 16, 16 }, levels[1].shape);
        Assert.Equal(new long[] { 2, 3, 8, 8 }, levels[2].shape);
        foreach (var level in levels)
            TensorAssert.Close(image.mean(new long[] { 2, 3 }), level.mean(new long[] { 2, 3 }), 1e-12, "per-channel mean");
        // Level 2 from level 0 directly (factor 4) equals the chain 32 → 16 → 8.
        TensorAssert.Close(nn.functional.avg_pool2d(image, 4), levels[2], 1e-12, "chain = direct pooling");
    }

    [Fact]
    public void Mismatched_sizes_are_refused()
    {
        using var scope = NewDisposeScope();
        var image = zeros(1, 3, 32, 32);
        Assert.Throws<ArgumentException>(() => ImagePyramid.Build(image, new[] { 64, 16 }));
        Assert.Throws<ArgumentException>(() => ImagePyramid.Build(image, new[] { 32, 12 }));
        Assert.Throws<ArgumentException>(() => ImagePyramid.Build(image, new[] { 32, 32 }));
        Assert.Throws<ArgumentException>(() => ImagePyramid.Build(zeros(3, 32, 32), new[] { 32 }));
    }
}
