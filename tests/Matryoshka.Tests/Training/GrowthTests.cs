using Matryoshka.Models;
using Matryoshka.Training;
using Matryoshka.Training.Runs;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

public class GrowthTests
{
    [Fact]
    public void Growing_preserves_the_low_resolution_function_and_starts_the_new_level_at_zero()
    {
        using var scope = NewDisposeScope();
        var final = TinyTraining.Config();
        using var small = new NestedUNet(ModelStages.Innermost(final, 1));
        // Give the small model non-trivial weights everywhere (its zero-initialised output layer included).
        using (no_grad())
            foreach (var p in small.parameters()) p.copy_(randn_like(p) * 0.1);
        using var grown = ModelGrowth.Grow(small, final);

        var x16 = randn(2, 3, 16, 16);
        var x8 = randn(2, 3, 8, 8);
        var t = tensor(new long[] { 100, 700 });
        var text = TinyTraining.Text(2, 5);
        using var noGrad = no_grad();
        var before = small.Forward(new[] { x8 }, t, text.Embeddings, text.Mask);
        var after = grown.Forward(new[] { x16, x8 }, t, text.Embeddings, text.Mask);

        Assert.True(after[1].Identical(before[0]), $"low-resolution output moved by {(after[1] - before[0]).abs().max().item<float>()}");
        Assert.Equal(0f, after[0].abs().max().item<float>());
    }

    [Fact]
    public void Growing_into_a_model_whose_inner_level_differs_is_refused()
    {
        using var small = new NestedUNet(ModelStages.Innermost(TinyTraining.Config(), 1));
        var other = NestedUNetBuilder.Create()
            .AddStage(8, s => s.Channels(32, 32).ResNets(2).Attention(1).TextProjection(32).ResNet(groups: 8))
            .AddStage(16, s => s.Channels(32, 32).ResNets(1).ResNet(groups: 8))
            .WithTextEmbeddingDim(TinyTraining.TextWidth)
            .Build();
        var error = Assert.Throws<ModelConfigurationException>(() => ModelGrowth.Grow(small, other));
        Assert.Contains("inner level is not the smaller model", error.Message);
    }
}
