using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Schedules;

/// <summary>
/// An immutable table of ᾱ (signal variance, ml-mdm's <c>gammas</c>) indexed 0…N, where index 0 is the
/// clean image (ᾱ = 1) and index N the noisiest step. Values are float32, exactly as ml-mdm's buffer holds
/// them, so every computation built on the table can match the reference to the last bit.
/// </summary>
public sealed class NoiseSchedule
{
    private readonly float[] _alphaBars;

    /// <summary>Creates a schedule from a ᾱ table of length N + 1 with ᾱ[0] = 1 and values in [0, 1].</summary>
    /// <exception cref="ArgumentException">The table is too short, does not start at 1, or holds values outside [0, 1].</exception>
    public NoiseSchedule(IReadOnlyList<float> alphaBars)
    {
        ArgumentNullException.ThrowIfNull(alphaBars);
        if (alphaBars.Count < 2)
            throw new ArgumentException($"A schedule needs at least 2 entries (ᾱ[0] = 1 and one noisy step); got {alphaBars.Count}.", nameof(alphaBars));
        if (alphaBars[0] != 1f)
            throw new ArgumentException($"ᾱ[0] must be 1 (the clean image); got {alphaBars[0]}.", nameof(alphaBars));
        for (int i = 0; i < alphaBars.Count; i++)
        {
            float a = alphaBars[i];
            if (!(a >= 0f && a <= 1f))
                throw new ArgumentException($"ᾱ[{i}] = {a} is outside [0, 1].", nameof(alphaBars));
        }
        _alphaBars = alphaBars.ToArray();
    }

    /// <summary>N, the number of noisy training steps (the table has N + 1 entries).</summary>
    public int TrainSteps => _alphaBars.Length - 1;

    /// <summary>ᾱ for every index 0…N (float32).</summary>
    public IReadOnlyList<float> AlphaBars => _alphaBars;

    /// <summary>ᾱ at one index.</summary>
    public float this[int index] => _alphaBars[index];

    /// <summary>
    /// The schedule of a level whose side is <paramref name="scale"/> times the base level's:
    /// SNR_level = SNR_base / scale^power, i.e. log-SNR shifted by −power·ln(scale).
    /// Computed as ml-mdm computes it (float32, from the float32 table); a scale of 1 (or below) returns this
    /// schedule unchanged, as in ml-mdm, and so does a power of 0 (no shift: ml-mdm's unshifted levels skip the
    /// computation, whose float32 rounding would move ᾱ near 1).
    /// </summary>
    /// <param name="scale">The level's side divided by the base (lowest-resolution) level's side.</param>
    /// <param name="power">The shift power p (1 in ml-mdm's 256 model, 2 in its 1024 model).</param>
    public NoiseSchedule ShiftedForScale(double scale, double power)
    {
        if (!double.IsFinite(scale) || scale <= 0)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The level scale must be a positive finite number.");
        if (!double.IsFinite(power) || power < 0)
            throw new ArgumentOutOfRangeException(nameof(power), power, "The shift power must be a non-negative finite number.");
        if (scale <= 1 || power == 0) return this;

        // ml-mdm: scale_factor = scale ** p (a Python number), then float32 tensor arithmetic.
        float divisor = (float)Math.Pow(scale, power);
        var shifted = new float[_alphaBars.Length];
        for (int i = 0; i < shifted.Length; i++)
        {
            float g = _alphaBars[i];
            float snr = g / (1f - g);
            float scaledSnr = snr / divisor;
            shifted[i] = 1f / (1f + 1f / scaledSnr);
        }
        return new NoiseSchedule(shifted);
    }

    /// <summary>The table as a float32 tensor of shape [N + 1] on <paramref name="device"/>.</summary>
    public Tensor ToTensor(Device device) => tensor(_alphaBars, dtype: ScalarType.Float32, device: device);

    /// <summary>ᾱ at each of <paramref name="indices"/> (an int64 tensor), float32, on the indices' device.</summary>
    public Tensor Gather(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var scope = NewDisposeScope();
        var table = ToTensor(indices.device);
        return table.index_select(0, indices.flatten().to(ScalarType.Int64)).reshape(indices.shape).MoveToOuterDisposeScope();
    }
}
