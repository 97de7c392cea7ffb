using Xunit;

namespace Matryoshka.Tests.Pipelines;

public class PixelConventionNamesTests
{
    [Fact]
    public void Names_map_to_conventions_case_insensitively_and_others_are_refused()
    {
        Assert.Equal(PixelConvention.MlMdm, PixelConventionNames.FromName("mlmdm"));
        Assert.Equal(PixelConvention.Standard, PixelConventionNames.FromName("Standard"));
        Assert.Equal(new[] { "mlmdm", "standard" }, PixelConventionNames.Names);
        Assert.Throws<ArgumentException>(() => PixelConventionNames.FromName("srgb"));
    }
}
