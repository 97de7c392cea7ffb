namespace Matryoshka.Training;

/// <summary>
/// ml-mdm's learning-rate schedule (<c>lr_scaler.py</c>): linear warm-up from 0 to the base rate, then constant,
/// with no decay; optionally followed by a cosine decay (<see cref="WithCosineDecay"/>).
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

    /// <summary>
    /// The warm-up followed by a cosine decay: after warm-up, update u (1-based) uses
    /// min + (base − min)·½(1 + cos(π·p)) with p = min(1, (u − warm-up) / decaySteps).
    /// </summary>
    public static double WithCosineDecay(double baseRate, long warmupSteps, long decaySteps, double minRate, long update)
    {
        double rate = LearningRate(baseRate, warmupSteps, update);
        if (decaySteps <= 0 || update <= warmupSteps) return rate;
        double progress = Math.Min(1.0, (double)(update - warmupSteps) / decaySteps);
        return minRate + (baseRate - minRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
