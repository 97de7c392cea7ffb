namespace Matryoshka.Training.Experiments;

/// <summary>
/// One row of an experiment's results.csv: one arm under one seed at one evaluated step. The metrics are null where
/// the model does not yet produce the final resolution (a progressive run's low-resolution stage).
/// </summary>
/// <param name="Arm">The arm's name.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Step">Total training steps.</param>
/// <param name="Stage">The training stage at that step.</param>
/// <param name="Resolution">The highest resolution the model produces at that step.</param>
/// <param name="ImagesSeen">Training images seen (steps × batch × accumulation).</param>
/// <param name="TrainFlops">Estimated training FLOPs spent (<see cref="TrainingBudget"/>).</param>
/// <param name="TrainSeconds">Wall time spent training, over every resumed attempt (steps redone after an interruption count once).</param>
/// <param name="FinalLevelLoss">Mean training loss of the final-resolution level over the last steps (the spec's loss_window).</param>
/// <param name="Top1">Caption retrieval top-1, ResNet18 features.</param>
/// <param name="Top5">Caption retrieval top-5, ResNet18 features.</param>
/// <param name="PixelTop1">Caption retrieval top-1, 16×16 pixel features.</param>
/// <param name="PixelTop5">Caption retrieval top-5, 16×16 pixel features.</param>
/// <param name="FdResNet18">FD-ResNet18 of the generated images against the real images of the same captions.</param>
/// <param name="FdRealSameSize">FD-ResNet18 between those real images and as many other real images: the floor at this sample size.</param>
/// <param name="EvalSeconds">Wall time of the evaluation (mostly sampling).</param>
public sealed record ExperimentResult(
    string Arm, ulong Seed, long Step, int Stage, int Resolution, long ImagesSeen, double TrainFlops, double TrainSeconds,
    double? FinalLevelLoss, double? Top1, double? Top5, double? PixelTop1, double? PixelTop5, double? FdResNet18, double? FdRealSameSize,
    double? EvalSeconds);
