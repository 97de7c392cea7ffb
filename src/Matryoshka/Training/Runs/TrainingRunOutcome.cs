namespace Matryoshka.Training.Runs;

/// <summary>How a <see cref="ProgressiveTrainingRun"/> ended.</summary>
/// <param name="Completed">True when every stage ran to its end; false when stopped by a step/time limit or cancellation.</param>
/// <param name="Step">Steps done in the whole run.</param>
/// <param name="Stage">The stage the run ended in.</param>
/// <param name="LastCheckpoint">The checkpoint written last (always written when the run ends).</param>
/// <param name="ResumedFrom">The checkpoint the run resumed from, if any.</param>
/// <param name="TrainingTime">Wall time spent training to <see cref="Step"/>, including the calls resumed through (see
/// <see cref="ProgressiveTrainingRun.TrainingTimeOf"/>).</param>
public sealed record TrainingRunOutcome(bool Completed, long Step, int Stage, string LastCheckpoint, string? ResumedFrom, TimeSpan TrainingTime);
