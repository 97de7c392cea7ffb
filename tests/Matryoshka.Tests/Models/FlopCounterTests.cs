using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Xunit;

namespace Matryoshka.Tests.Models;

/// <summary><see cref="ModelFlops"/> against counts written out by hand from the layer formulas.</summary>
public class FlopCounterTests
{
    /// <summary>One 8×8 resolution of 32 channels, one ResNet down (two up), no attention, no middle blocks, time width 64.</summary>
    internal static ModelConfig OneResolution(int inputChannels = 3) => new()
    {
        Resolution = 8,
        InputChannels = inputChannels,
        UNet = new UNetConfig
        {
            ResolutionChannels = new[] { 32 },
            NumResnetsPerResolution = new[] { 1 },
            AttentionLevels = Array.Empty<int>(),
            NumAttentionLayers = new[] { 0 },
            TemporalDim = 64,
            SkipMidBlocks = true,
        },
    };

    /// <summary>
    /// The hand count of <see cref="OneResolution"/> (8×8 = 64 positions):
    /// conv_in 3→32 3×3: 2·3·32·9·64 = 110,592;
    /// down ResNet 32→32: two 3×3 convs, 2·(2·32·32·9·64) = 2,359,296;
    /// up ResNets take 32 + a 32-wide skip: 3×3 64→32, 3×3 32→32, 1×1 64→32: (2·64·32·9 + 2·32·32·9 + 2·64·32)·64 = 3,801,088 each, two of them;
    /// conv_out 32→3 3×3: 110,592. Sum 10,182,656.
    /// Linear: time MLP 16→64→64 on one row, 2·16·64 + 2·64·64 = 10,240; three ResNet time_layers 64→64: 3·2·64·64 = 24,576. Sum 34,816.
    /// </summary>
    internal const long OneResolutionConvolutions = 10_182_656;
    internal const long OneResolutionLinear = 34_816;

    [Fact]
    public void A_one_resolution_unet_matches_a_hand_count()
    {
        const long positions = 8 * 8;
        long convIn = 2L * 3 * 32 * 9 * positions;
        long downResNet = 2 * (2L * 32 * 32 * 9 * positions);
        long upResNet = (2L * 64 * 32 * 9 + 2L * 32 * 32 * 9 + 2L * 64 * 32 * 1) * positions;
        long convOut = 2L * 32 * 3 * 9 * positions;
        Assert.Equal(OneResolutionConvolutions, convIn + downResNet + 2 * upResNet + convOut);

        var flops = ModelFlops.Of(OneResolution());

        var level = Assert.Single(flops.Levels);
        Assert.Equal(OneResolutionConvolutions, level.Convolutions);
        Assert.Equal(OneResolutionLinear, level.Linear);
        Assert.Equal(0, level.Attention);
        Assert.Equal(10_217_472, level.Forward);
        Assert.Equal(10_217_472, flops.Forward);
    }

    [Fact]
    public void The_input_convolution_adds_2_Cin_Cout_k2_HW()
    {
        long three = ModelFlops.Of(OneResolution(inputChannels: 3)).Forward;
        long seven = ModelFlops.Of(OneResolution(inputChannels: 7)).Forward;

        // conv_in is the only layer that sees the image channels: 2·(7 − 3)·32·3²·8².
        Assert.Equal(2L * (7 - 3) * 32 * 3 * 3 * 8 * 8, seven - three);
    }

    [Fact]
    public void Self_and_cross_attention_products_match_a_hand_count()
    {
        // 4×4 = 16 positions, 32 channels, attention after every ResNet (one down, two up), text of 5 tokens × 24.
        var config = OneResolution() with
        {
            Resolution = 4,
            TextEmbeddingDim = 24,
            UNet = OneResolution().UNet with { AttentionLevels = new[] { 0 }, NumAttentionLayers = new[] { 1 } },
        };

        var level = Assert.Single(ModelFlops.Of(config, textLength: 5).Levels);

        // Per block: Q·Kᵀ and softmax·V over 16 positions, 2·16·16·32 each; cross-attention 2·16·5·32 each.
        const long perBlock = 2 * (2 * 16 * 16 * 32) + 2 * (2 * 16 * 5 * 32);
        Assert.Equal(3 * perBlock, level.Attention);
        Assert.Equal(129_024, level.Attention);
        // Linear: time MLP 10,240, three time_layers 24,576, three kv_cond 24→64 over 5 tokens (2·5·24·64 each),
        // and cond_emb 24→64 on the pooled text.
        Assert.Equal(10_240 + 24_576 + 3 * (2 * 5 * 24 * 64) + 2 * 24 * 64, level.Linear);
    }

    [Fact]
    public void The_text_length_is_a_parameter_and_a_class_label_is_one_token()
    {
        var text = OneResolution() with
        {
            TextEmbeddingDim = 24,
            UNet = OneResolution().UNet with { AttentionLevels = new[] { 0 }, NumAttentionLayers = new[] { 1 } },
        };
        var classes = text with { ClassCount = 10 };

        long five = ModelFlops.Of(text, 5).Forward, six = ModelFlops.Of(text, 6).Forward;
        // One more token: three kv_cond rows (2·24·64 each) and three cross-attentions over 64 positions (4·64·32 each).
        Assert.Equal(3 * (2 * 24 * 64) + 3 * (4 * 64 * 32), six - five);

        var classFlops = ModelFlops.Of(classes, 77);
        Assert.Equal(1, classFlops.TextLength);
        Assert.Equal(ModelFlops.Of(text, 1).Forward, classFlops.Forward);
    }

    [Fact]
    public void An_unconditioned_model_ignores_the_text_length()
    {
        Assert.Equal(ModelFlops.Of(OneResolution(), 1).Forward, ModelFlops.Of(OneResolution(), 500).Forward);
    }

    [Fact]
    public void A_nested_level_counts_only_its_own_unet()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "tiny-two-level.model.yaml");
        var nested = ModelConfigFiles.Load(path);
        var innerAlone = new ModelConfig { UNet = nested.UNet.Inner!, Resolution = 16 };

        var flops = ModelFlops.Of(nested);
        var alone = Assert.Single(ModelFlops.Of(innerAlone).Levels);

        Assert.Equal(alone with { Level = flops.Levels[1].Level }, flops.Levels[1]);
        Assert.Equal(flops.Levels[0].Forward + flops.Levels[1].Forward, flops.Forward);
        // The outer level owns the adapters: in_adapter 32→32 and out_adapter 32→32, 3×3 at 16×16, are part of it.
        var withoutInput = nested with { UNet = nested.UNet with { SkipInnerUNetInput = true } };
        Assert.Equal(2L * 32 * 32 * 9 * 16 * 16, flops.Levels[0].Convolutions - ModelFlops.Of(withoutInput).Levels[0].Convolutions);
    }

    [Fact]
    public void A_training_step_is_three_forward_passes()
    {
        var flops = ModelFlops.Of(OneResolution());

        Assert.Equal(3 * 10_217_472L, flops.TrainingStep);
        Assert.Equal(3 * flops.Levels[0].Forward, flops.Levels[0].TrainingStep);
        Assert.Equal(30, ModelFlops.TrainingStepEstimate(10));
    }

    [Fact]
    public void A_non_positive_text_length_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelFlops.Of(OneResolution(), 0));
    }
}
