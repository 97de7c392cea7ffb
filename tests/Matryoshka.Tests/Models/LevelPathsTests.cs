using Matryoshka.Models;
using Xunit;

namespace Matryoshka.Tests.Models;

public sealed class LevelPathsTests
{
    [Fact]
    public void LevelOf_counts_the_leading_inner_unet_segments()
    {
        string[] levelZero = ["", "conv_in.weight", "inner_unet", "down_blocks.0.inner_unet.conv_in.weight"];
        Assert.All(levelZero, path => Assert.Equal(0, LevelPaths.LevelOf(path)));
        Assert.Equal(1, LevelPaths.LevelOf("inner_unet.conv_in.weight"));
        Assert.Equal(2, LevelPaths.LevelOf("inner_unet.inner_unet.down_blocks.0.resnets.0.conv1.weight"));
        Assert.Throws<ArgumentNullException>(() => LevelPaths.LevelOf(null!));
    }
}
