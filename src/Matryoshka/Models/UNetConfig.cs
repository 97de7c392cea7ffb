using Matryoshka.Models.Blocks;

namespace Matryoshka.Models;

/// <summary>
/// The architecture of one level of a nested UNet, with ml-mdm's field meanings (<c>UNetConfig</c>, and
/// <c>NestedUNetConfig</c> when <see cref="Inner"/> is set). A config whose <see cref="Inner"/> is null is a plain
/// UNet (the innermost, lowest-resolution level); otherwise this level wraps <see cref="Inner"/>, whose input
/// resolution is this level's lowest internal resolution. Per-resolution lists have one entry per entry of
/// <see cref="ResolutionChannels"/>. Immutable; validated when a model is built.
/// </summary>
public sealed record UNetConfig
{
    /// <summary>Channels at each internal resolution, highest first; also sets their number (<c>resolution_channels</c>).</summary>
    public IReadOnlyList<int> ResolutionChannels { get; init; } = new[] { 128, 256, 256, 512, 1024 };

    /// <summary>ResNet blocks per resolution on the down path; the up path has one more (<c>num_resnets_per_resolution</c>).</summary>
    public IReadOnlyList<int> NumResnetsPerResolution { get; init; } = new[] { 2, 2, 2, 2, 2 };

    /// <summary>Indices of the internal resolutions (0 = highest) that get attention (<c>attention_levels</c>).</summary>
    public IReadOnlyList<int> AttentionLevels { get; init; } = new[] { 2, 3 };

    /// <summary>Attention blocks after each ResNet, per resolution; used where the index is in <see cref="AttentionLevels"/> (<c>num_attention_layers</c>).</summary>
    public IReadOnlyList<int> NumAttentionLayers { get; init; } = new[] { 1, 1, 1, 1, 1 };

    /// <summary>Width of the time embedding; null means 4 × <c>ResolutionChannels[0]</c> (<c>temporal_dim</c>).</summary>
    public int? TemporalDim { get; init; }

    /// <summary>
    /// If positive, the text is first projected to this width by <c>lm_proj</c> (in the innermost level), and this
    /// width replaces the text width for this level and those inside it (<c>conditioning_feature_proj_dim</c>).
    /// </summary>
    public int ConditioningFeatureProjDim { get; init; } = -1;

    /// <summary>Extra trainable self-attention blocks over the text (<c>num_lm_head_layers</c>).</summary>
    public int NumLmHeadLayers { get; init; }

    /// <summary>Whether cross-attention ignores padded text tokens (<c>masked_cross_attention</c>); only the innermost level's flag matters.</summary>
    public bool MaskedCrossAttention { get; init; } = true;

    /// <summary>Whether the level has no middle blocks (<c>skip_mid_blocks</c>). Wrapping levels must skip them: the inner UNet takes their place.</summary>
    public bool SkipMidBlocks { get; init; }

    /// <summary>Whether the level has no text embedding of its own (<c>skip_cond_emb</c>); wrapping levels use the innermost level's.</summary>
    public bool SkipCondEmb { get; init; }

    /// <summary>Micro-conditioning keys with default values, e.g. <c>scale:64</c> (<c>micro_conditioning</c>); null for none.</summary>
    public string? MicroConditioning { get; init; }

    /// <summary>ResNet settings of the level (<c>resnet_config</c>).</summary>
    public ResNetConfig ResNet { get; init; } = new();

    /// <summary>The level nested inside this one, or null for a plain UNet (<c>inner_config</c>).</summary>
    public UNetConfig? Inner { get; init; }

    /// <summary>
    /// Whether the wrapped level gets no feature from this one (no <c>in_adapter</c>; <c>skip_inner_unet_input</c>).
    /// ml-mdm crashes with this option; here the inner level then simply runs on its own input.
    /// </summary>
    public bool SkipInnerUNetInput { get; init; }

    /// <summary>Whether this level's noisy input is used as is rather than divided by its per-sample std (<c>skip_normalization</c>). Only wrapping levels normalise.</summary>
    public bool SkipNormalization { get; init; }

    /// <summary>Whether the wrapped level's parameters are frozen (<c>freeze_inner_unet</c>).</summary>
    public bool FreezeInnerUNet { get; init; }

    /// <summary>Whether the level has ml-mdm's two unused <c>interp_layer</c> linears (kept only so such checkpoints load).</summary>
    public bool InterpConditioning { get; init; }

    /// <summary>
    /// Whether this level denoises video (<c>temporal_mode</c>): its input is a grid of S × S frames (S = the level's
    /// <see cref="LevelPlan.Scale"/>, frame k in row k / S, column k % S), each the innermost level's size; inside, the
    /// frames are batch rows, ResNets and attention work per frame, the resolution changes act on time (a Conv1d over
    /// the frames halves or doubles their number) and the spatial size stays. Needs an odd number of resolutions and
    /// an inner level; the innermost level cannot be temporal (ml-mdm's plain UNet has no frame grid).
    /// </summary>
    public bool TemporalMode { get; init; }

    /// <summary>
    /// Temporal attention blocks after each ResNet, per resolution (<c>num_temporal_attention_layers</c>); null for
    /// none. Only on a temporal level; each works on channels that are a multiple of 32 (ml-mdm fixes 32 per head).
    /// </summary>
    public IReadOnlyList<int>? NumTemporalAttentionLayers { get; init; }

    /// <summary>Number of internal resolutions of this level.</summary>
    public int ResolutionCount => ResolutionChannels.Count;

    /// <summary>Levels from this one inwards (this one first).</summary>
    public IEnumerable<UNetConfig> SelfAndInner()
    {
        for (var level = this; level is not null; level = level.Inner) yield return level;
    }
}
