using Matryoshka.Training.Runs;

namespace Matryoshka.Training.Configuration;

/// <summary>How a <see cref="TrainingWorkflow.RunAsync"/> call ended.</summary>
/// <param name="Outcome">The run's outcome: completed or stopped, the step and stage reached, the last checkpoint, the training time.</param>
/// <param name="TotalSteps">Steps of every stage together.</param>
/// <param name="EmaWeightsPath">The exported final EMA weights (<c>ema.safetensors</c>); null unless the run completed with export on.</param>
/// <param name="LossLogPath">The loss per level per step (<c>loss.csv</c>).</param>
public sealed record TrainingWorkflowResult(TrainingRunOutcome Outcome, long TotalSteps, string? EmaWeightsPath, string LossLogPath)
{
    /// <summary>True when every stage ran to its end.</summary>
    public bool Completed => Outcome.Completed;
}
