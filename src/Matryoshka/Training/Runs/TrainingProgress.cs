namespace Matryoshka.Training.Runs;

/// <summary>A report after each training step of a <see cref="ProgressiveTrainingRun"/>.</summary>
/// <param name="Step">Steps done in the whole run.</param>
/// <param name="TotalSteps">Steps of all stages together.</param>
/// <param name="Stage">The current stage's index.</param>
/// <param name="StageStep">Steps done in the current stage.</param>
/// <param name="StageSteps">Steps of the current stage.</param>
/// <param name="Result">What the step did (loss per level, learning rate, skip).</param>
/// <param name="StepsPerSecond">Steps per second over the steps this process has run.</param>
/// <param name="SkippedSteps">Optimizer updates skipped so far for non-finite values.</param>
/// <param name="SkippedSamples">Data samples skipped so far because they could not be read.</param>
/// <param name="CheckpointPath">The checkpoint written after this step, if one was.</param>
public sealed record TrainingProgress(long Step, long TotalSteps, int Stage, long StageStep, long StageSteps,
    TrainingStepResult Result, double StepsPerSecond, long SkippedSteps, long SkippedSamples, string? CheckpointPath)
{
    /// <summary>
    /// "sample: problem" for each sample skipped for the first time since the previous report (the first
    /// <see cref="Data.TrainingBatches.MaxSkippedDescriptions"/> of a stage), so a caller can warn about each file.
    /// </summary>
    public IReadOnlyList<string> NewlySkippedSamples { get; init; } = [];
}
