using Matryoshka.Conditioning;
using Matryoshka.Diffusion;

namespace Matryoshka.Training;

/// <summary>
/// How a <see cref="Trainer"/> optimises a model. Defaults are ml-mdm's released training settings (AdamW with
/// weight decay 0, lr 5e-5, betas 0.9/0.999, eps 1e-8, grad-norm clip 2.0, EMA 0.9999), except the warm-up,
/// which ml-mdm sets to 10,000 steps and which is 0 here so short runs behave predictably.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>The learning rate after warm-up.</summary>
    public double LearningRate { get; init; } = 5e-5;

    /// <summary>AdamW β₁.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β₂.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>AdamW ε.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>AdamW decoupled weight decay (0 in ml-mdm).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Optimizer updates of linear warm-up from 0 to <see cref="LearningRate"/> (see <see cref="WarmupSchedule"/>); 0 disables it.</summary>
    public long WarmupSteps { get; init; }

    /// <summary>
    /// Optional cosine decay after the warm-up (diffusers' cosine schedule): over <see cref="DecaySteps"/> updates the
    /// rate falls from <see cref="LearningRate"/> to <see cref="MinLearningRate"/> along half a cosine, then stays
    /// there. 0 (default) keeps ml-mdm's constant rate.
    /// </summary>
    public long DecaySteps { get; init; }

    /// <summary>The rate a cosine decay ends at.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>Maximum global L2 norm of all gradients; 0 disables clipping.</summary>
    public double MaxGradientNorm { get; init; } = 2.0;

    /// <summary>EMA decay d: after every optimizer update, ema = d·ema + (1 − d)·w over every weight.</summary>
    public double EmaDecay { get; init; } = 0.9999;

    /// <summary>
    /// EMA warm-up (diffusers' <c>use_ema_warmup</c> with inv_gamma 1): update n uses decay
    /// min(<see cref="EmaDecay"/>, 1 − (1 + n)^(−<see cref="EmaWarmupPower"/>)) with n counted from 0 (so the first
    /// update copies the weights), letting the average forget the random initialisation quickly.
    /// </summary>
    public bool EmaWarmup { get; init; }

    /// <summary>The power of the EMA warm-up (diffusers' default 2/3).</summary>
    public double EmaWarmupPower { get; init; } = 2.0 / 3.0;

    /// <summary>
    /// Whether the EMA warm-up also applies to the wrapped level's weights (<c>inner_unet.*</c>; the default). When
    /// false only the new outer level's average warms up, and the inner level's average, which already holds a trained
    /// model's average after growing, keeps <see cref="EmaDecay"/> from the first update. Needs <see cref="EmaWarmup"/>.
    /// </summary>
    public bool EmaWarmupInner { get; init; } = true;

    /// <summary>
    /// Learning-rate multiplier for the wrapped level's parameters (<c>inner_unet.*</c>): training a grown model's
    /// inner levels jointly at a lower rate instead of freezing them. 1 (default) trains every parameter at the same
    /// rate; 0 leaves the inner weights unchanged (their weight decay included). In [0, 1].
    /// </summary>
    public double InnerLearningRateScale { get; init; } = 1;

    /// <summary>Micro-batches per optimizer update; each micro-batch's loss is divided by this.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>
    /// Probability that a sample's text is replaced by <see cref="UnconditionalText"/>, so the model also learns the
    /// unconditional prediction that classifier-free guidance needs.
    /// </summary>
    public double ConditioningDropout { get; init; }

    /// <summary>
    /// The "no prompt" conditioning [1, T, D] used for dropped samples; required when <see cref="ConditioningDropout"/>
    /// is positive. <see cref="Training.UnconditionalText.Zeros"/> gives an all-zero embedding with a one-token mask.
    /// The trainer copies it to the model's device; the caller keeps ownership of these tensors.
    /// </summary>
    public TextConditioning? UnconditionalText { get; init; }

    /// <summary>How the multi-resolution loss is formed.</summary>
    public MultiResolutionLossOptions Loss { get; init; } = new();

    /// <summary>Seed of the trainer's own CPU generator, which draws timesteps, noise and conditioning dropout.</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every value.</summary>
    /// <exception cref="TrainerOptionsException">A value is out of range or a required companion value is missing.</exception>
    public void Validate()
    {
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"LearningRate must be positive and finite; got {LearningRate}.");
        Require(Beta1 is >= 0 and < 1, $"Beta1 must be in [0, 1); got {Beta1}.");
        Require(Beta2 is >= 0 and < 1, $"Beta2 must be in [0, 1); got {Beta2}.");
        Require(Epsilon > 0 && double.IsFinite(Epsilon), $"Epsilon must be positive and finite; got {Epsilon}.");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"WeightDecay must be non-negative and finite; got {WeightDecay}.");
        Require(WarmupSteps >= 0, $"WarmupSteps must be non-negative; got {WarmupSteps}.");
        Require(MaxGradientNorm >= 0 && double.IsFinite(MaxGradientNorm), $"MaxGradientNorm must be non-negative and finite (0 disables clipping); got {MaxGradientNorm}.");
        Require(EmaDecay is >= 0 and <= 1, $"EmaDecay must be in [0, 1]; got {EmaDecay}.");
        Require(EmaWarmupPower > 0 && double.IsFinite(EmaWarmupPower), $"EmaWarmupPower must be positive; got {EmaWarmupPower}.");
        Require(EmaWarmupInner || EmaWarmup, "EmaWarmupInner = false (warm up only the new level's EMA) needs EmaWarmup.");
        Require(InnerLearningRateScale is >= 0 and <= 1, $"InnerLearningRateScale must be in [0, 1]; got {InnerLearningRateScale}.");
        Require(DecaySteps >= 0, $"DecaySteps must be non-negative (0 = constant rate); got {DecaySteps}.");
        Require(MinLearningRate >= 0 && MinLearningRate <= LearningRate, $"MinLearningRate must be in [0, LearningRate]; got {MinLearningRate}.");
        Require(GradientAccumulationSteps >= 1, $"GradientAccumulationSteps must be at least 1; got {GradientAccumulationSteps}.");
        Require(ConditioningDropout is >= 0 and <= 1, $"ConditioningDropout must be in [0, 1]; got {ConditioningDropout}.");
        Require(Loss is not null, "Loss options are required.");
        if (UnconditionalText is { } text)
        {
            Require(text.Embeddings.dim() == 3 && text.Embeddings.shape[0] == 1,
                $"UnconditionalText embeddings must be [1, T, D]; got [{string.Join(", ", text.Embeddings.shape)}].");
            Require(text.Mask.dim() == 2 && text.Mask.shape[0] == 1 && text.Mask.shape[1] == text.Embeddings.shape[1],
                $"UnconditionalText mask must be [1, T] with T = {text.Embeddings.shape[1]}; got [{string.Join(", ", text.Mask.shape)}].");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new TrainerOptionsException(message);
    }
}
