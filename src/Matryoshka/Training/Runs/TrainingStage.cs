using Matryoshka.Models;

namespace Matryoshka.Training.Runs;

/// <summary>
/// One stage of progressive training: a model (a complete NestedUNet config; each stage's model wraps the previous
/// stage's as its inner level) trained for <see cref="Steps"/> steps, with its own schedule settings.
/// </summary>
public sealed record TrainingStage
{
    /// <summary>The model of this stage.</summary>
    public required ModelConfig Model { get; init; }

    /// <summary>Training steps (micro-batches) of this stage.</summary>
    public required long Steps { get; init; }

    /// <summary>
    /// The shifted-schedule power of this stage (ml-mdm <c>schedule_shifted_power</c>; ml-mdm raises it from 1 to 2
    /// when growing 256→64 to 1024→256→64). Explicit per stage.
    /// </summary>
    public double ShiftPower { get; init; } = 1;

    /// <summary>
    /// Whether each level divides its image by its scale (side over the lowest level's side) instead of shifting its
    /// schedule (ml-mdm's nested pipeline with <c>schedule_shifted: false</c>); <see cref="ShiftPower"/> is then unused.
    /// </summary>
    public bool RescaleSignal { get; init; }

    /// <summary>
    /// Whether the inner (previous stage's) UNet is frozen in this stage. In the first stage it applies when the run
    /// starts from <see cref="TrainingRunOptions.InitialWeights"/> (which then fill the inner level).
    /// </summary>
    public bool FreezeInner { get; init; }

    /// <summary>
    /// Freeze only the innermost k levels (e.g. 1: the lowest-resolution UNet), training the levels between them and
    /// the new one; 0 (default) freezes none unless <see cref="FreezeInner"/> freezes every inner level. Same first-stage
    /// rule as <see cref="FreezeInner"/>.
    /// </summary>
    public int FreezeLevels { get; init; }

    /// <summary>How many innermost levels this stage freezes, for a model of <paramref name="levels"/> levels.</summary>
    public int FrozenLevels(int levels) => FreezeInner ? levels - 1 : FreezeLevels;

    /// <summary>
    /// The inner UNet's learning rate as a fraction of the stage's (<see cref="TrainerOptions.InnerLearningRateScale"/>):
    /// training a grown model's inner levels jointly at a lower rate, the alternative to <see cref="FreezeInner"/>.
    /// </summary>
    public double InnerLearningRateScale { get; init; } = 1;

    /// <summary>Whether the optimizer's moments of the inner weights carry over from the previous stage (else they restart at zero).</summary>
    public bool CarryOptimizerState { get; init; } = true;
}
