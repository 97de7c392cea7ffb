using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Xunit;

namespace Matryoshka.Tests.Models;

/// <summary>
/// <see cref="ModelFlops"/>, derived from the config alone, against a real forward pass of the built model whose
/// layers report their work through forward hooks (<see cref="MeasuredFlops"/>): every level, every kind, exact.
/// </summary>
public class FlopHookCrossCheckTests
{
    // checkpoint_pth's config builds but cannot run (its levels' time widths differ), and the released configs are
    // too large to run here; their counts are covered by the same code on the configs below.
    public static TheoryData<string, int?, int> Configs() => new()
    {
        { "fixtures/mlmdm/two_level/config.json", null, 7 },
        { "fixtures/mlmdm/three_level/config.json", null, 5 },
        { "fixtures/mlmdm/temporal_two_level/config.json", null, 5 },
        { "samples/configs/emoji-64.model.yaml", 384, ModelFlops.DefaultTextLength },
        { "samples/configs/tiny-two-level.model.yaml", null, 3 },
        { "samples/configs/fashion-mnist.model.yaml", null, 9 },   // class-conditional: one token whatever the length
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Config_counts_equal_a_hooked_forward_pass(string file, int? textDim, int textLength)
    {
        var config = ModelConfigFiles.Load(Path.Combine(AppContext.BaseDirectory, file), textDim);

        var counted = ModelFlops.Of(config, textLength);
        var measured = MeasuredFlops.OfForwardPass(config, textLength);

        Assert.Equal(measured.Length, counted.Levels.Count);
        for (int i = 0; i < measured.Length; i++)
        {
            Assert.True(measured[i].Convolutions > 0, $"level {i}: no convolution reported its work; the hooks did not fire");
            Assert.Equal((i, measured[i].Convolutions), (i, counted.Levels[i].Convolutions));
            Assert.Equal((i, measured[i].Linear), (i, counted.Levels[i].Linear));
            Assert.Equal((i, measured[i].Attention), (i, counted.Levels[i].Attention));
        }
    }

    [Fact]
    public void The_hooks_see_attention_and_the_text_path()
    {
        // Guards the cross-check itself: in a model with attention and text, the measured parts are not all zero.
        var config = ModelConfigFiles.Load(Path.Combine(AppContext.BaseDirectory, "fixtures/mlmdm/two_level/config.json"));

        var inner = MeasuredFlops.OfForwardPass(config, 7)[1];

        Assert.True(inner.Attention > 0);
        Assert.True(inner.Linear > 0);
    }
}
