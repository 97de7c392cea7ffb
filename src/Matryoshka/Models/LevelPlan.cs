namespace Matryoshka.Models;

/// <summary>
/// One level of a model with every value ml-mdm derives at construction resolved: what the level's layers are
/// and how wide. Levels are numbered from 0 (outermost, highest resolution).
/// </summary>
public sealed record LevelPlan
{
    /// <summary>Level index, 0 = outermost.</summary>
    public required int Index { get; init; }

    /// <summary>The level's config.</summary>
    public required UNetConfig Config { get; init; }

    /// <summary>The config path in ml-mdm's terms, e.g. <c>unet_config.inner_config</c> (used in error messages).</summary>
    public required string ConfigPath { get; init; }

    /// <summary>Prefix of this level's state_dict keys, e.g. <c>inner_unet.</c>.</summary>
    public required string KeyPrefix { get; init; }

    /// <summary>Side of this level's input image.</summary>
    public required int Resolution { get; init; }

    /// <summary>Width of the time embedding.</summary>
    public required int TemporalDim { get; init; }

    /// <summary>Text width seen by this level's cross-attention (after any projection); −1 when unconditioned.</summary>
    public required int ConditioningDim { get; init; }

    /// <summary>Text width before this level's projection: the input width of <c>lm_proj</c>.</summary>
    public required int ConditioningInputDim { get; init; }

    /// <summary>Whether the level has <c>cond_emb</c> (pooled text → time embedding) and <c>lm_head</c>.</summary>
    public required bool HasCondEmb { get; init; }

    /// <summary>Whether the level has <c>lm_proj</c>.</summary>
    public required bool HasLmProj { get; init; }

    /// <summary>Micro-conditioning keys and their default values, in declaration order.</summary>
    public required IReadOnlyList<KeyValuePair<string, double>> MicroConditioning { get; init; }

    /// <summary>Whether the level wraps another level.</summary>
    public bool IsNested => Config.Inner is not null;

    /// <summary>Whether the level divides its noisy input by its per-sample std before <c>conv_in</c>.</summary>
    public bool NormalizesInput => IsNested && !Config.SkipNormalization;

    /// <summary>Whether the level has middle blocks.</summary>
    public bool HasMidBlocks => !Config.SkipMidBlocks;

    /// <summary>This level's side divided by the innermost level's side (ml-mdm's <c>nest_ratio[0]</c>).</summary>
    public required int Scale { get; init; }

    /// <summary>Whether the level denoises a grid of frames (<see cref="UNetConfig.TemporalMode"/>).</summary>
    public bool IsTemporal => Config.TemporalMode;

    /// <summary>Frames per side of a temporal level's input grid (S = <see cref="Scale"/>); 1 for an image level.</summary>
    public int FrameGrid => IsTemporal ? Scale : 1;

    /// <summary>
    /// Frames per side of the grid a temporal level hands its inner level (T, the inner level's <see cref="Scale"/>:
    /// the frames left after the level's time downsampling, S² / 2^(n−1) = T²); 1 for an image level.
    /// </summary>
    public int InnerFrameGrid { get; internal init; } = 1;

    /// <summary>Side of one frame of a temporal level (the innermost level's side); the level's side for an image level.</summary>
    public int FrameResolution => Resolution / FrameGrid;

    /// <summary>Temporal attention blocks after each ResNet at internal resolution <paramref name="index"/>.</summary>
    public int TemporalAttentionLayers(int index) =>
        Config.NumTemporalAttentionLayers is { } layers ? layers[index] : 0;
}
