using Matryoshka.Models;

namespace Matryoshka.Interop.MlMdm;

/// <summary>
/// The architectures of Apple's released MDM models (ml-mdm's <c>cc12m_64x64</c>, <c>cc12m_256x256</c> and
/// <c>cc12m_1024x1024</c> configs), built with <see cref="NestedUNetBuilder"/>; checkpoints trained with those configs
/// load into them. The 256 and 1024 models grow the 64 model by one and two outer stages.
/// </summary>
public static class MlMdmArchitectures
{
    /// <summary>The 64×64 model (461,359,107 parameters with 2048-wide text); optionally narrower for experiments.</summary>
    /// <param name="textEmbeddingDim">Text encoder width (2048 for flan-t5-xl).</param>
    /// <param name="widthDivisor">Divides every channel count, the time width and the text projection (1 = released width).</param>
    public static ModelConfig Cc12m64(int textEmbeddingDim = 2048, int widthDivisor = 1) => NestedUNetBuilder.Create()
        .AddStage(64, Core(widthDivisor))
        .WithTextEmbeddingDim(textEmbeddingDim)
        .Build();

    /// <summary>The 256×256 model: the 64 model inside one outer stage (476,613,958 parameters); optionally narrower.</summary>
    /// <param name="textEmbeddingDim">Text encoder width (2048 for flan-t5-xl).</param>
    /// <param name="widthDivisor">Divides every channel count, time width and text projection (1 = released width).</param>
    public static ModelConfig Cc12m256(int textEmbeddingDim = 2048, int widthDivisor = 1) => NestedUNetBuilder.Create()
        .AddStage(64, Core(widthDivisor))
        .AddStage(256, Outer(widthDivisor, channels: [64, 128, 256], textProjection: null).Then(s => s.NormalizeInput(false)))
        .WithTextEmbeddingDim(textEmbeddingDim)
        .Build();

    /// <summary>
    /// The 1024×1024 model: the 64 model inside a 256 stage inside a 1024 stage (480,970,057 parameters). Unlike the
    /// standalone 256 model, its 256 stage normalises its input, and (in ml-mdm's config) the schedule shift power is 2.
    /// </summary>
    /// <param name="textEmbeddingDim">Text encoder width (2048 for flan-t5-xl).</param>
    /// <param name="widthDivisor">Divides every channel count, time width and text projection (1 = released width).</param>
    public static ModelConfig Cc12m1024(int textEmbeddingDim = 2048, int widthDivisor = 1) => NestedUNetBuilder.Create()
        .AddStage(64, Core(widthDivisor))
        .AddStage(256, Outer(widthDivisor, channels: [64, 128, 256], textProjection: 2048))
        .AddStage(1024, Outer(widthDivisor, channels: [32, 32, 64], textProjection: 2048).Then(s => s.NormalizeInput(false)))
        .WithTextEmbeddingDim(textEmbeddingDim)
        .Build();

    // An outer stage: 2, 2, 1 ResNets, no attention. Narrowed, its group norms use as many groups as the narrowest
    // resolution has channels (at most the released 32), so every width stays divisible.
    private static Action<StageBuilder> Outer(int divisor, int[] channels, int? textProjection)
    {
        if (divisor < 1) throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The width divisor must be ≥ 1.");
        var narrowed = channels.Select(c => c / divisor).ToArray();
        if (narrowed.Min() < 1) throw new ArgumentOutOfRangeException(nameof(divisor), divisor, $"Width divisor {divisor} leaves a stage without channels.");
        return s =>
        {
            s.Channels(narrowed).ResNets(2, 2, 1).TemporalDim(1024 / divisor).MicroConditioning();
            if (divisor > 1) s.ResNet(groups: Math.Min(32, narrowed.Min()));
            // The width these stages hand inward is what the core's lm_proj reads: the text encoder's, never narrowed.
            if (textProjection is { } width) s.TextProjection(width);
        };
    }

    private static Action<StageBuilder> Then(this Action<StageBuilder> first, Action<StageBuilder> second) => s =>
    {
        first(s);
        second(s);
    };

    // The 64×64 core: attention with cross-attention and feed-forward at 32² (1 layer) and 16² (5 layers), text
    // projected in place, padded tokens attended to (masked_cross_attention = 0).
    private static Action<StageBuilder> Core(int divisor)
    {
        if (divisor < 1) throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The width divisor must be ≥ 1.");
        return s => s.Channels(256 / divisor, 512 / divisor, 768 / divisor).ResNets(2, 2, 2).Attention(1, 1).Attention(2, 5)
            .TemporalDim(1024 / divisor).TextProjection(2048 / divisor).MaskedCrossAttention(false).MicroConditioning()
            .ResNet(attentionFeedForward: true);
    }
}
