namespace Matryoshka.Schedules;

/// <summary>
/// Factories for the base noise schedules ml-mdm defines. Each computes in float64 as ml-mdm does with numpy
/// and rounds the table to float32 once, at the end.
/// </summary>
public static class NoiseSchedules
{
    /// <summary>
    /// Cosine ᾱ(s) = cos²((s + 0.008)/1.008 · π/2) with β_i = min(1 − ᾱ((i+1)/N)/ᾱ(i/N), <paramref name="maxBeta"/>).
    /// ml-mdm <c>DEEPFLOYD</c> / diffusers <c>squaredcos_cap_v2</c>.
    /// </summary>
    public static NoiseSchedule CosineCapped(int trainSteps, double maxBeta = 0.999)
    {
        RequireSteps(trainSteps);
        if (!(maxBeta > 0 && maxBeta < 1))
            throw new ArgumentOutOfRangeException(nameof(maxBeta), maxBeta, "The β cap must be in (0, 1).");
        static double AlphaBar(double s) => Math.Pow(Math.Cos((s + 0.008) / 1.008 * Math.PI / 2), 2);
        var betas = new double[trainSteps];
        for (int i = 0; i < trainSteps; i++)
        {
            double t1 = (double)i / trainSteps, t2 = (double)(i + 1) / trainSteps;
            betas[i] = Math.Min(1 - AlphaBar(t2) / AlphaBar(t1), maxBeta);
        }
        return FromBetas(betas);
    }

    /// <summary>
    /// log-SNR interpolated by a cosine from <paramref name="logSnrMax"/> to <paramref name="logSnrMin"/> over N points.
    /// ml-mdm <c>COSINE</c>.
    /// </summary>
    public static NoiseSchedule CosineLogSnr(int trainSteps, double logSnrMin = -5, double logSnrMax = 5)
    {
        RequireSteps(trainSteps);
        if (!(double.IsFinite(logSnrMin) && double.IsFinite(logSnrMax) && logSnrMin < logSnrMax))
            throw new ArgumentException($"Need finite log-SNR bounds with min < max; got [{logSnrMin}, {logSnrMax}].");
        double b = Math.Atan(Math.Exp(-0.5 * logSnrMax));
        double a = Math.Atan(Math.Exp(-0.5 * logSnrMin)) - b;
        var t = Linspace(0.0, 1.0, trainSteps);
        var alphaBars = new float[trainSteps + 1];
        alphaBars[0] = 1f;
        for (int i = 0; i < trainSteps; i++)
        {
            double logSnr = -2.0 * Math.Log(Math.Tan(a * t[i] + b));
            alphaBars[i + 1] = (float)(1 / (1 + Math.Exp(-logSnr)));
        }
        return new NoiseSchedule(alphaBars);
    }

    /// <summary>Linear β from <paramref name="betaStart"/> to <paramref name="betaEnd"/> (DDPM). ml-mdm <c>DDPM</c>.</summary>
    public static NoiseSchedule Linear(int trainSteps, double betaStart = 1e-4, double betaEnd = 0.02)
    {
        RequireSteps(trainSteps);
        if (!(betaStart > 0 && betaEnd < 1 && betaStart <= betaEnd))
            throw new ArgumentException($"Need 0 < beta_start ≤ beta_end < 1; got {betaStart}, {betaEnd}.");
        return FromBetas(Linspace(betaStart, betaEnd, trainSteps));
    }

    /// <summary>The schedule of the given kind with its default parameters (β range for <see cref="ScheduleKind.Linear"/>).</summary>
    public static NoiseSchedule Create(ScheduleKind kind, int trainSteps, double betaStart = 1e-4, double betaEnd = 0.02) => kind switch
    {
        ScheduleKind.SquaredCosCapV2 => CosineCapped(trainSteps),
        ScheduleKind.CosineLogSnr => CosineLogSnr(trainSteps),
        ScheduleKind.Linear => Linear(trainSteps, betaStart, betaEnd),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown schedule kind."),
    };

    // ᾱ = exp(cumsum(log(1 − β))) with a leading β = 0, summed sequentially like numpy's cumsum.
    private static NoiseSchedule FromBetas(IReadOnlyList<double> betas)
    {
        var alphaBars = new float[betas.Count + 1];
        alphaBars[0] = 1f;
        double logSum = 0;
        for (int i = 0; i < betas.Count; i++)
        {
            logSum += Math.Log(1.0 - betas[i]);
            alphaBars[i + 1] = (float)Math.Exp(logSum);
        }
        return new NoiseSchedule(alphaBars);
    }

    // numpy.linspace: start + i·step, with the last point exactly stop.
    internal static double[] Linspace(double start, double stop, int count)
    {
        var result = new double[count];
        if (count == 1) { result[0] = start; return result; }
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++) result[i] = start + i * step;
        result[^1] = stop;
        return result;
    }

    private const int MaxTrainSteps = 1_000_000;

    private static void RequireSteps(int trainSteps)
    {
        if (trainSteps < 1 || trainSteps > MaxTrainSteps)
            throw new ArgumentOutOfRangeException(nameof(trainSteps), trainSteps, $"The number of training steps must be in [1, {MaxTrainSteps}].");
    }
}
