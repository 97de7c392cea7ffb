using Matryoshka.ImageSharp;
using Matryoshka.Training.Data;
using Xunit;

namespace Matryoshka.Tests.Training.Data;

public class PixelNormalizationTests
{
    [Theory]
    [InlineData(0, -0.9921875f)]
    [InlineData(127, 0f)]
    [InlineData(128, 0.0078125f)]
    [InlineData(255, 1f)]
    public void Ml_mdm_maps_bytes_exactly(byte value, float expected) =>
        Assert.Equal(expected, PixelNormalization.MlMdm.Normalize(value));

    [Theory]
    [InlineData(0, -1f)]
    [InlineData(255, 1f)]
    [InlineData(51, -0.6f)]
    [InlineData(204, 0.6f)]
    public void Standard_maps_bytes_to_minus_one_to_one(byte value, float expected) =>
        Assert.Equal(expected, PixelNormalization.Standard.Normalize(value), 1e-6f);

    [Fact]
    public void Span_conversion_and_table_agree_with_single_bytes()
    {
        var bytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        foreach (var normalization in new[] { PixelNormalization.MlMdm, PixelNormalization.Standard })
        {
            var values = new float[256];
            normalization.Normalize(bytes, values);
            Assert.Equal(bytes.Select(b => normalization.Normalize(b)), values);
            Assert.Equal(values, PixelNormalizations.Table(normalization));
        }
        Assert.Throws<ArgumentException>(() => PixelNormalization.MlMdm.Normalize(bytes, new float[3]));
    }

    [Fact]
    public void Image_conventions_map_onto_the_core_normalizations()
    {
        Assert.Equal(PixelNormalization.MlMdm, PixelConvention.MlMdm.ToNormalization());
        Assert.Equal(PixelNormalization.Standard, PixelConvention.Standard.ToNormalization());
    }
}
