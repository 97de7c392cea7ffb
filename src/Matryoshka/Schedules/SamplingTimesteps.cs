namespace Matryoshka.Schedules;

/// <summary>
/// Chooses the step indices a sampler visits. Results use ml-mdm's index convention: indices into a
/// <see cref="NoiseSchedule"/> (0 = clean … N = noisiest), strictly decreasing, always ending with 0. A sampler
/// steps from <c>t[i]</c> to <c>t[i+1]</c> and gives the network the integer step <c>t[i] − 1</c>.
/// </summary>
/// <remarks>
/// diffusers indexes ᾱ from 0 for the first noisy step; its timestep k is index k + 1 here, so the network input
/// k is the same in both conventions and the final step lands on the clean image (diffusers' "alpha to one").
/// </remarks>
public static class SamplingTimesteps
{
    /// <summary>The <paramref name="inferenceSteps"/> + 1 indices for the given spacing (descending, last = 0).</summary>
    /// <param name="trainSteps">N, the number of noisy training steps.</param>
    /// <param name="inferenceSteps">n, the number of network evaluations (1 ≤ n ≤ N).</param>
    /// <param name="spacing">How to spread the steps.</param>
    /// <param name="stepsOffset">diffusers' <c>steps_offset</c>, used by <see cref="TimestepSpacing.Leading"/> only.</param>
    /// <exception cref="ArgumentOutOfRangeException">n is outside [1, N], or the offset pushes an index past N.</exception>
    public static long[] Create(int trainSteps, int inferenceSteps, TimestepSpacing spacing = TimestepSpacing.MatryoshkaStyle, int stepsOffset = 0)
    {
        if (trainSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(trainSteps), trainSteps, "The number of training steps must be positive.");
        if (inferenceSteps < 1 || inferenceSteps > trainSteps)
            throw new ArgumentOutOfRangeException(nameof(inferenceSteps), inferenceSteps, $"The number of sampling steps must be in [1, {trainSteps}] (the training steps).");
        if (stepsOffset < 0 || (stepsOffset != 0 && spacing != TimestepSpacing.Leading))
            throw new ArgumentOutOfRangeException(nameof(stepsOffset), stepsOffset, "steps_offset must be ≥ 0 and is only meaningful with 'leading' spacing.");

        long[] result = spacing switch
        {
            TimestepSpacing.MatryoshkaStyle => MatryoshkaStyle(trainSteps, inferenceSteps),
            TimestepSpacing.Linspace => WithFinalClean(NoiseSchedules.Linspace(0, trainSteps - 1, inferenceSteps).Select(x => (long)Math.Round(x) + 1).Reverse()),
            TimestepSpacing.Leading => WithFinalClean(Enumerable.Range(0, inferenceSteps).Select(i => (long)i * (trainSteps / inferenceSteps) + stepsOffset + 1).Reverse()),
            TimestepSpacing.Trailing => WithFinalClean(Trailing(trainSteps, inferenceSteps)),
            _ => throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "Unknown timestep spacing."),
        };

        if (result[0] > trainSteps)
            throw new ArgumentOutOfRangeException(nameof(stepsOffset), stepsOffset, $"steps_offset {stepsOffset} moves the first index to {result[0]}, past N = {trainSteps}.");
        for (int i = 1; i < result.Length; i++)
            if (result[i] >= result[i - 1])
                throw new InvalidOperationException($"Timesteps are not strictly decreasing at position {i} ({result[i - 1]}, {result[i]}).");
        return result;
    }

    // ml-mdm Sampler.set_timesteps: round(arange(0..n) · (N+1)/(n+1)) reversed; numpy rounds half to even.
    private static long[] MatryoshkaStyle(int trainSteps, int inferenceSteps)
    {
        double ratio = (trainSteps + 1.0) / (inferenceSteps + 1.0);
        var result = new long[inferenceSteps + 1];
        for (int i = 0; i <= inferenceSteps; i++)
            result[inferenceSteps - i] = (long)Math.Round(i * ratio, MidpointRounding.ToEven);
        return result;
    }

    // numpy: round(arange(N, 0, -N/n)) - 1 (diffusers' index), + 1 for our convention. Exactly n values:
    // numpy's arange can yield one more when N/n is inexact, which diffusers would turn into index -1.
    private static IEnumerable<long> Trailing(int trainSteps, int inferenceSteps)
    {
        double step = (double)trainSteps / inferenceSteps;
        for (int i = 0; i < inferenceSteps; i++)
            yield return (long)Math.Round(trainSteps + i * -step, MidpointRounding.ToEven);
    }

    private static long[] WithFinalClean(IEnumerable<long> descending) => descending.Append(0L).ToArray();
}
