using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;

namespace Matryoshka.Benchmarks;

/// <summary>
/// The architectures benchmarked, by name. A <c>.inner</c> / <c>.core</c> suffix is the same model without its
/// outer level(s), so the difference between two rows is the cost of the level(s) removed.
/// </summary>
internal static class BenchmarkModels
{
    /// <summary>Text tokens fed to every text-conditioned benchmark model.</summary>
    public const int TextLength = 16;

    public static ModelConfig Get(string name) => name switch
    {
        "two_level" => TwoLevel(true),
        "two_level.inner" => TwoLevel(false),
        "three_level" => ThreeLevel(3),
        "three_level.inner" => ThreeLevel(2),
        "three_level.core" => ThreeLevel(1),
        // The released 64×64 model at a quarter of its width, alone and nested in the released 256 stage (same ¼).
        "released64/4" => MlMdmArchitectures.Cc12m64(textEmbeddingDim: 2048, widthDivisor: 4),
        "nested256/4" => MlMdmArchitectures.Cc12m256(textEmbeddingDim: 2048, widthDivisor: 4),
        "flat256/4" => Flat256(divisor: 4),
        // The same two at ¼ width with 256-wide text: the PyTorch anchor's models (benchmarks/side-by-side).
        "anchor64/4" => MlMdmArchitectures.Cc12m64(textEmbeddingDim: SideBySideBenchmarks.TextEmbeddingDim, widthDivisor: 4),
        "anchor256/4" => MlMdmArchitectures.Cc12m256(textEmbeddingDim: SideBySideBenchmarks.TextEmbeddingDim, widthDivisor: 4),
        // The released three-level 1024 → 256 → 64 model at an eighth of its width.
        "mdm1024/8" => MlMdmArchitectures.Cc12m1024(textEmbeddingDim: 2048, widthDivisor: 8),
        "mdm1024/8.inner" => WithoutOuterLevels(MlMdmArchitectures.Cc12m1024(textEmbeddingDim: 2048, widthDivisor: 8), 1),
        "mdm1024/8.core" => WithoutOuterLevels(MlMdmArchitectures.Cc12m1024(textEmbeddingDim: 2048, widthDivisor: 8), 2),
        "emoji-64" => Emoji(),
        "emoji-64.inner" => WithoutOuterLevels(Emoji(), 1),
        "emoji-256" => Emoji("emoji-256"),
        "emoji-256.inner" => WithoutOuterLevels(Emoji("emoji-256"), 1),
        _ => throw new ArgumentException($"unknown benchmark model '{name}'"),
    };

    // A shipped text-to-image model's architecture (models/<name>/model.yaml, copied next to this program).
    private static ModelConfig Emoji(string name = "emoji-64") =>
        ModelConfigFiles.Load(Path.Combine(AppContext.BaseDirectory, "models", name, "model.yaml"), textEmbeddingDim: 384);

    private static ModelConfig WithoutOuterLevels(ModelConfig config, int levels)
    {
        var unet = config.UNet;
        for (int i = 0; i < levels; i++) unet = unet.Inner!;
        return config with { UNet = unet, Resolution = config.Plan().Resolutions[levels] };
    }

    // A plain (non-nested) 256×256 UNet as wide as nested256/4 at every resolution: the outer stage's 256/128 levels,
    // then the 64 model's 64/32/16 levels with its attention, one UNet, one output. MDM's "flat" baseline.
    private static ModelConfig Flat256(int divisor) => NestedUNetBuilder.Create()
        .AddStage(256, s => s.Channels(64 / divisor, 128 / divisor, 256 / divisor, 512 / divisor, 768 / divisor).ResNets(2, 2, 2, 2, 2)
            .Attention(3, 1).Attention(4, 5).TemporalDim(1024 / divisor).TextProjection(2048 / divisor).MaskedCrossAttention(false)
            .MicroConditioning().ResNet(groups: 16, attentionFeedForward: true))
        .WithTextEmbeddingDim(2048)
        .Build();

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
