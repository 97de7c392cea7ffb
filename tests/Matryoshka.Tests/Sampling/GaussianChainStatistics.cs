using Matryoshka.Schedules;

namespace Matryoshka.Tests.Sampling;

/// <summary>
/// The exact output mean and variance of a sampler driven by the ideal denoiser of <see cref="GaussianData"/>,
/// starting from N(0, 1) — the statistics of the discretised chain itself, not of the data. With that denoiser
/// every step is affine in x, so a deterministic sampler maps the initial noise z to a·z + b and DDPM keeps x
/// Gaussian; both are propagated here in float64 as scalars, independently of the tensor code under test.
/// </summary>
public static class GaussianChainStatistics
{
    /// <summary>Mean and variance after the whole chain for one level's schedule.</summary>
    /// <param name="kind">"ddim" (η = 0), "ddpm" or "dpm++2m".</param>
    /// <param name="data">The data distribution the denoiser is ideal for.</param>
    /// <param name="schedule">The level's schedule.</param>
    /// <param name="timesteps">The visited indices, descending, ending at 0.</param>
    public static (double Mean, double Variance) Of(string kind, GaussianData data, NoiseSchedule schedule, IReadOnlyList<long> timesteps)
    {
        double mean = 0, variance = 1;     // x = mean + √variance·z
        double? previousGainA = null, previousGainB = null, previousLambda = null;
        for (int i = 0; i + 1 < timesteps.Count; i++)
        {
            double g = schedule[(int)timesteps[i]], gNext = schedule[(int)timesteps[i + 1]];
            // E[x₀ | x] = k·x + c.
            double k = Math.Sqrt(g) * data.Std * data.Std / (g * data.Std * data.Std + 1 - g);
            double c = data.Mean - k * Math.Sqrt(g) * data.Mean;
            if (kind == "ddpm")
            {
                double alpha = g / gNext, beta = 1 - alpha, betaTilde = beta * (1 - gNext) / (1 - g);
                double onX0 = beta * Math.Sqrt(gNext) / (1 - g), onX = Math.Sqrt(alpha) * (1 - gNext) / (1 - g);
                double slope = onX0 * k + onX;
                mean = slope * mean + onX0 * c;
                variance = slope * slope * variance + betaTilde;
                continue;
            }

            // Deterministic: track x = a·z + b with a = √variance; x₀ = k·a·z + (k·b + c).
            double a = Math.Sqrt(variance), x0A = k * a, x0B = k * mean + c;
            if (gNext == 1) { mean = x0B; variance = x0A * x0A; continue; }
            double ratio = Math.Sqrt(1 - gNext) / Math.Sqrt(1 - g), onData = Math.Sqrt(gNext) - Math.Sqrt(g) * ratio;
            double lambda = 0.5 * Math.Log(g / (1 - g)), lambdaNext = 0.5 * Math.Log(gNext / (1 - gNext));
            double dA = x0A, dB = x0B;
            if (kind == "dpm++2m" && previousLambda is double lambdaPrevious)
            {
                double w = 0.5 * (lambdaNext - lambda) / (lambda - lambdaPrevious);
                dA += w * (x0A - previousGainA!.Value);
                dB += w * (x0B - previousGainB!.Value);
            }
            (previousGainA, previousGainB, previousLambda) = (x0A, x0B, lambda);
            double nextA = ratio * a + onData * dA;
            mean = ratio * mean + onData * dB;
            variance = nextA * nextA;
        }
        return (mean, variance);
    }
}
