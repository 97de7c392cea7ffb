using Matryoshka.Schedules;
using static TorchSharp.torch;

namespace Matryoshka.Diffusion;

/// <summary>
/// The per-sample loss weights of Variational Diffusion Models (Kingma et al.) as ml-mdm computes them when
/// <c>use_vdm_loss_weights</c> is on: for the step that noises index i − 1 to index i, w = SNR(i − 1)/SNR(i) − 1,
/// from the base schedule (not the per-level shifted ones). The batch loss is then Σ w·L / Σ w over the samples.
/// </summary>
public static class VdmLossWeights
{
    /// <summary>
    /// ml-mdm's weight table (its <c>vdm_loss_weights</c> buffer), indexed like the schedule, 0…N: entry i ≥ 2 is
    /// ᾱ(i−1)(1 − ᾱ(i)) / (1 − ᾱ(i−1)) / ᾱ(i) − 1, evaluated in float32 in that order as ml-mdm does; entries 0 and 1,
    /// where SNR(i − 1) is infinite, repeat entry 2.
    /// </summary>
    /// <exception cref="ArgumentException">The schedule has fewer than 2 noisy steps (ml-mdm's table would be empty).</exception>
    public static float[] Table(NoiseSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.TrainSteps < 2)
            throw new ArgumentException($"VDM loss weights need at least 2 noisy steps; the schedule has {schedule.TrainSteps}.", nameof(schedule));
        var weights = new float[schedule.TrainSteps + 1];
        for (int i = 2; i < weights.Length; i++)
        {
            float g = schedule[i], gLast = schedule[i - 1];
            weights[i] = gLast * (1f - g) / (1f - gLast) / g - 1f;
        }
        weights[0] = weights[1] = weights[2];
        return weights;
    }

    /// <summary>
    /// The weight of each sample trained at step t (int64 [B], in [0, N)): the table at t + 1, the index of the ᾱ the
    /// sample was noised with. Float32, on the timesteps' device.
    /// </summary>
    public static Tensor ForTimesteps(NoiseSchedule schedule, Tensor timesteps)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        using var scope = NewDisposeScope();
        var table = tensor(Table(schedule), dtype: ScalarType.Float32, device: timesteps.device);
        return table.index_select(0, (timesteps.to(ScalarType.Int64) + 1).flatten()).MoveToOuterDisposeScope();
    }
}
