namespace Matryoshka.Training;

/// <summary>
/// ml-mdm's learning-rate schedule (<c>lr_scaler.py</c>): linear warm-up from 0 to the base rate, then constant,
/// with no decay.
/// </summary>
public static class WarmupSchedule
{
    /// <summary>
    /// The learning rate of optimizer update number <paramref name="update"/> (1-based): base·min(1, update / warm-up).
    /// The first update therefore already moves the weights (base / warm-up), and update number warm-up reaches the base rate.
    /// </summary>
    public static double LearningRate(double baseRate, long warmupSteps, long update)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(update, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (warmupSteps == 0 || update >= warmupSteps) return baseRate;
        return baseRate * update / warmupSteps;
    }
}
