namespace Matryoshka.Models;

/// <summary>
/// The forward floating-point operations of one level's own UNet at batch 1, without the level nested inside it
/// (see <see cref="ModelFlops"/> for what is counted and how). Split by the kind of work, so each part can be
/// compared with what the layers of that kind do in a real forward pass.
/// </summary>
public sealed record LevelFlops
{
    /// <summary>The level's resolved plan.</summary>
    public required LevelPlan Level { get; init; }

    /// <summary>
    /// Work of the level's <c>Conv2d</c> layers: <c>conv_in</c>, <c>conv_out</c>, the ResNet 3×3 and 1×1 convolutions,
    /// the strided (down) and post-nearest-upsample (up) resampling convolutions, the 1×1 attention <c>qkv</c>,
    /// <c>proj_out</c> and feed-forward convolutions, and the <c>in_adapter</c>/<c>out_adapter</c> it owns.
    /// </summary>
    public required long Convolutions { get; init; }

    /// <summary>
    /// Work of the level's <c>Linear</c> layers: the time-embedding and micro-conditioning MLPs, each ResNet's
    /// <c>time_layer</c>, the cross-attention <c>kv_cond</c> projections of the text, and, in the innermost level,
    /// the text path (<c>lm_proj</c>, the <c>lm_head</c> blocks' projections and MLPs, <c>cond_emb</c>).
    /// </summary>
    public required long Linear { get; init; }

    /// <summary>The attention products themselves, Q·Kᵀ and softmax(·)·V, of every self- and cross-attention in the level.</summary>
    public required long Attention { get; init; }

    /// <summary>All forward work of the level: <see cref="Convolutions"/> + <see cref="Linear"/> + <see cref="Attention"/>.</summary>
    public long Forward => Convolutions + Linear + Attention;

    /// <summary>Estimated work of one training step of the level at batch 1: <see cref="ModelFlops.TrainingStepFactor"/> × <see cref="Forward"/>.</summary>
    public long TrainingStep => ModelFlops.TrainingStepEstimate(Forward);
}
