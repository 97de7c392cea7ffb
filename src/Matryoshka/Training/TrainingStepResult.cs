namespace Matryoshka.Training;

/// <summary>What one call of <see cref="Trainer.Step"/> did.</summary>
/// <param name="Loss">The batch loss (before division by the accumulation steps); NaN or ±∞ when the step was skipped for that reason.</param>
/// <param name="LevelLosses">Each level's batch-mean MSE against the loss target, high → low, before level weights and mixed-batch scaling.</param>
/// <param name="LearningRate">The learning rate of the optimizer update this micro-batch belongs to.</param>
/// <param name="Skipped">True when the loss or the gradient norm was not finite: no update was made and the accumulated gradients were dropped.</param>
/// <param name="OptimizerStepped">True when this call ended an accumulation cycle and updated the weights (and the EMA).</param>
/// <param name="GradientNorm">The global gradient norm before clipping, measured at the end of each accumulation cycle; null when the call ended no cycle or its loss was not finite.</param>
public sealed record TrainingStepResult(
    double Loss,
    IReadOnlyList<double> LevelLosses,
    double LearningRate,
    bool Skipped,
    bool OptimizerStepped,
    double? GradientNorm);
