using Matryoshka.Diffusion;
using Matryoshka.Schedules;

namespace Matryoshka.Sampling;

/// <summary>
/// What one generation samples with: the per-level schedules, the step indices to visit (descending, ending at
/// 0; see <see cref="SamplingTimesteps"/>), what the network predicts, and how x₀ estimates are thresholded.
/// </summary>
public sealed record SamplingPlan
{
    /// <summary>Creates a plan; the timesteps must be strictly decreasing, within [0, N], and end at 0.</summary>
    public SamplingPlan(MultiResolutionSchedule schedule, IReadOnlyList<long> timesteps, PredictionType prediction, Thresholding thresholding)
    {
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        ArgumentNullException.ThrowIfNull(timesteps);
        if (timesteps.Count < 2 || timesteps[^1] != 0 || timesteps[0] > schedule.TrainSteps)
            throw new ArgumentException($"Timesteps must run from at most N = {schedule.TrainSteps} down to 0 with at least one step; got [{string.Join(", ", timesteps.Take(5))}{(timesteps.Count > 5 ? ", …" : "")}].", nameof(timesteps));
        for (int i = 1; i < timesteps.Count; i++)
            if (timesteps[i] >= timesteps[i - 1])
                throw new ArgumentException($"Timesteps must be strictly decreasing; position {i} has {timesteps[i]} after {timesteps[i - 1]}.", nameof(timesteps));
        Timesteps = timesteps.ToArray();
        Prediction = prediction;
        Thresholding = thresholding ?? throw new ArgumentNullException(nameof(thresholding));
    }

    /// <summary>Per-level noise schedules.</summary>
    public MultiResolutionSchedule Schedule { get; }

    /// <summary>Step indices to visit, descending, ending at 0.</summary>
    public IReadOnlyList<long> Timesteps { get; }

    /// <summary>Number of network evaluations (steps).</summary>
    public int StepCount => Timesteps.Count - 1;

    /// <summary>What the network predicts.</summary>
    public PredictionType Prediction { get; }

    /// <summary>What happens to each x₀ estimate.</summary>
    public Thresholding Thresholding { get; }
}
