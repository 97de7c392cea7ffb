using Matryoshka.Evaluation;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Evaluation;

/// <summary>Coarse pixel features for caption retrieval: 16×16 block means, centred per image.</summary>
public class PixelFeatureExtractorTests
{
    [Fact]
    public void Features_are_the_16x16_block_means_in_0_1_minus_the_images_mean()
    {
        using var scope = NewDisposeScope();
        // Block (row 0, column 0) of the red plane is 255, everything else 0: one feature of 1 among 3·256.
        var image = zeros(new long[] { 1, 3, 64, 64 }, ScalarType.Byte);
        image[0, 0, TensorIndex.Slice(0, 4), TensorIndex.Slice(0, 4)] = tensor((byte)255);

        var features = new PixelFeatureExtractor().Extract(image).Single();

        Assert.Equal(3 * 16 * 16, features.Length);
        double mean = 1.0 / features.Length;
        Assert.Equal(1 - mean, features[0], 6);
        Assert.All(features.Skip(1), value => Assert.Equal(-mean, value, 6));
    }

    [Fact]
    public void A_uniformly_brighter_copy_has_the_same_features_and_odd_sizes_are_refused()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(seed: 3);
        var image = randint(0, 200, new long[] { 1, 3, 32, 32 }, ScalarType.Byte, generator: generator);
        var extractor = new PixelFeatureExtractor();

        var features = extractor.Extract(image).Single();
        var brighter = extractor.Extract((image + 50).to_type(ScalarType.Byte)).Single();

        for (int i = 0; i < features.Length; i++) Assert.Equal(features[i], brighter[i], 5);
        Assert.Throws<ArgumentException>(() => extractor.Extract(zeros(new long[] { 1, 3, 24, 24 }, ScalarType.Byte)));
    }
}
