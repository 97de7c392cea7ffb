using Matryoshka.Models;

namespace Matryoshka.Benchmarks;

/// <summary>The architectures benchmarked: the ml-mdm parity fixtures' (written with the builder) and a narrow released model.</summary>
internal static class BenchmarkModels
{
    public static ModelConfig Get(string name) => name switch
    {
        "two_level" => TwoLevel(true),
        "two_level.inner" => TwoLevel(false),
        "three_level" => ThreeLevel(3),
        "three_level.inner" => ThreeLevel(2),
        "three_level.core" => ThreeLevel(1),
        "released64/4" => MlMdmArchitectures.Cc12m64(textEmbeddingDim: 2048, widthDivisor: 4),
        "emoji-64" => Emoji(),
        "emoji-64.inner" => EmojiInner(),
        _ => throw new ArgumentException($"unknown benchmark model '{name}'"),
    };

    // The embedded text-to-image model's architecture (models/emoji-64/model.yaml, copied next to this program).
    private static ModelConfig Emoji() =>
        ModelConfigFiles.Load(Path.Combine(AppContext.BaseDirectory, "models", "emoji-64", "model.yaml"), textEmbeddingDim: 384);

    // Its 16×16 level as a model of its own.
    private static ModelConfig EmojiInner()
    {
        var emoji = Emoji();
        return emoji with { UNet = emoji.UNet.Inner!, Resolution = emoji.Plan().Resolutions[1] };
    }

    // tests/…/fixtures/mlmdm/two_level: 32 → 16, cross-attention with FFN in the 16 level.
    private static ModelConfig TwoLevel(bool withOuter)
    {
        var builder = NestedUNetBuilder.Create()
            .AddStage(16, s => s.Channels(32, 64).ResNets(1).Attention(1).TextProjection(64).MaskedCrossAttention(false)
                .MicroConditioning().ResNet(attentionFeedForward: true));
        if (withOuter) builder.AddStage(32, s => s.Channels(32, 64).ResNets(1).TemporalDim(128).MicroConditioning().NormalizeInput(false));
        return builder.WithTextEmbeddingDim(48).Build();
    }

    // tests/…/fixtures/mlmdm/three_level: 32 → 16 → 8.
    private static ModelConfig ThreeLevel(int levels)
    {
        var builder = NestedUNetBuilder.Create()
            .AddStage(8, s => s.Channels(16, 32).ResNets(1).Attention(1).TextProjection(64).MicroConditioning()
                .ResNet(groups: 16, attentionFeedForward: true));
        if (levels >= 2) builder.AddStage(16, s => s.Channels(32, 32).ResNets(1).TemporalDim(64).TextProjection(64).MicroConditioning());
        if (levels >= 3) builder.AddStage(32, s => s.Channels(16, 32).ResNets(1).TemporalDim(64).TextProjection(64).MicroConditioning()
            .ResNet(groups: 16).NormalizeInput(false));
        return builder.WithTextEmbeddingDim(64).Build();
    }
}
