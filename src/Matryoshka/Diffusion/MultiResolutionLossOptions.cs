namespace Matryoshka.Diffusion;

/// <summary>
/// How the multi-resolution training loss is formed (ml-mdm <c>NestedDiffusionConfig</c>). Defaults are those of
/// ml-mdm's released nested models: the network predicts v, the loss compares ε, every level contributes with
/// weight 1 and every level sees the full batch.
/// </summary>
public sealed record MultiResolutionLossOptions
{
    /// <summary>What the network predicts (ml-mdm <c>prediction_type</c>).</summary>
    public PredictionType ModelPrediction { get; init; } = PredictionType.VPrediction;

    /// <summary>What the loss compares; the prediction is converted to it through x₀ (ml-mdm <c>loss_target_type</c>).</summary>
    public PredictionType LossTarget { get; init; } = PredictionType.Epsilon;

    /// <summary>Whether levels below 0 contribute to the loss (ml-mdm <c>use_double_loss</c>); otherwise only the output level does.</summary>
    public bool LossOnAllLevels { get; init; } = true;

    /// <summary>Per-level loss weights, high → low (ml-mdm <c>multi_res_weights</c>, e.g. 16:4:1); null means 1 for every level.</summary>
    public IReadOnlyList<double>? LevelWeights { get; init; }

    /// <summary>Mixed-resolution batch split (ml-mdm <c>mixed_ratio</c>); null means every level sees the whole batch.</summary>
    public MixedResolutionBatch? MixedRatio { get; init; }

    /// <summary>
    /// Whether the batch loss weights each sample by its VDM weight (ml-mdm <c>use_vdm_loss_weights</c>): Σ w·L / Σ w
    /// instead of the mean, with w from <see cref="VdmLossWeights"/>. Off by default, as in ml-mdm's released configs.
    /// </summary>
    public bool VdmWeights { get; init; }

    /// <summary>
    /// Whether a target built from x₀ (v, x₀) uses the unscaled image rather than the signal the forward process noised,
    /// where a level rescales its signal (<see cref="NoisedBatch.Signal"/>). ml-mdm's single-UNet pipeline does so: it
    /// divides only the noisy input by <c>rescale_signal</c> (diffusion.py:156) and builds the target from the images as
    /// given (diffusion.py:163-165); its nested pipeline rescales both. Off by default.
    /// </summary>
    public bool TargetsUseUnscaledSignal { get; init; }

    /// <summary>Checks the options against a model with <paramref name="levelCount"/> levels.</summary>
    /// <exception cref="ArgumentException">A per-level list has the wrong length or an invalid value.</exception>
    public void Validate(int levelCount)
    {
        if (levelCount < 1) throw new ArgumentOutOfRangeException(nameof(levelCount), levelCount, "A model has at least one level.");
        if (LevelWeights is not null)
        {
            if (LevelWeights.Count != levelCount)
                throw new ArgumentException($"multi_res_weights has {LevelWeights.Count} entries but the model has {levelCount} levels.");
            if (!LossOnAllLevels && levelCount > 1)
                throw new ArgumentException("multi_res_weights only make sense when every level contributes (use_double_loss / LossOnAllLevels = true).");
            for (int l = 0; l < LevelWeights.Count; l++)
                if (!(LevelWeights[l] >= 0 && double.IsFinite(LevelWeights[l])))
                    throw new ArgumentException($"multi_res_weights[{l}] = {LevelWeights[l]}; weights must be finite and non-negative.");
        }
        if (MixedRatio is not null && MixedRatio.LevelCount != levelCount)
            throw new ArgumentException($"mixed_ratio has {MixedRatio.LevelCount} entries but the model has {levelCount} levels.");
    }

    /// <summary>Parses ml-mdm's colon-separated weights, e.g. "16:4:1".</summary>
    public static IReadOnlyList<double> ParseLevelWeights(string weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return MixedResolutionBatch.ParseColonList(weights, "multi_res_weights");
    }
}
