using static TorchSharp.torch;

namespace Matryoshka.Schedules;

/// <summary>
/// The per-level noise schedules of a nested model: one base schedule for the lowest-resolution level and, for
/// each higher level, the base schedule with its SNR divided by scale^power, where scale is the level's side over
/// the base level's side (ml-mdm <c>schedule_shifted</c>). Levels are ordered high → low resolution (level 0 is the
/// output image), as everywhere in Matryoshka and ml-mdm. Instead of (or besides) shifting, a level may divide its clean
/// signal by a scale c before noising (ml-mdm's "rescale signal", arXiv 2301.10972), which lowers its SNR c²-fold:
/// training noises x₀/c, and sampling thresholds c·x̂₀ and multiplies the result by c.
/// </summary>
public sealed class MultiResolutionSchedule
{
    private readonly NoiseSchedule[] _levels;
    private readonly int[] _resolutions;

    /// <summary>Shifts <paramref name="baseSchedule"/> for each of <paramref name="resolutions"/> (high → low).</summary>
    /// <param name="baseSchedule">The schedule of the lowest-resolution level.</param>
    /// <param name="resolutions">Square side of every level, high → low; each must divide the one before it.</param>
    /// <param name="shiftPower">The power p of SNR / scale^p; 0 gives every level the base schedule.</param>
    /// <param name="signalScales">Per level (high → low), the factor c its clean signal is divided by; null for 1 everywhere.</param>
    public MultiResolutionSchedule(NoiseSchedule baseSchedule, IReadOnlyList<int> resolutions, double shiftPower = 1, IReadOnlyList<double>? signalScales = null)
    {
        ArgumentNullException.ThrowIfNull(baseSchedule);
        ArgumentNullException.ThrowIfNull(resolutions);
        if (resolutions.Count == 0) throw new ArgumentException("At least one level is required.", nameof(resolutions));
        for (int l = 0; l < resolutions.Count; l++)
        {
            if (resolutions[l] < 1)
                throw new ArgumentException($"Level {l} has resolution {resolutions[l]}; resolutions must be positive.", nameof(resolutions));
            if (l > 0 && (resolutions[l] >= resolutions[l - 1] || resolutions[l - 1] % resolutions[l] != 0))
                throw new ArgumentException(
                    $"Level {l} resolution {resolutions[l]} must be smaller than and divide level {l - 1} resolution {resolutions[l - 1]} (levels are ordered high → low).",
                    nameof(resolutions));
        }
        if (!double.IsFinite(shiftPower) || shiftPower < 0)
            throw new ArgumentOutOfRangeException(nameof(shiftPower), shiftPower, "The shift power must be a non-negative finite number.");

        if (signalScales is not null && signalScales.Count != resolutions.Count)
            throw new ArgumentException($"Got {signalScales.Count} signal scales for {resolutions.Count} levels.", nameof(signalScales));
        foreach (double c in signalScales ?? [])
            if (!double.IsFinite(c) || c == 0)
                throw new ArgumentOutOfRangeException(nameof(signalScales), c, "Signal scales must be finite and non-zero.");

        Base = baseSchedule;
        SignalScales = signalScales?.ToArray() ?? Enumerable.Repeat(1.0, resolutions.Count).ToArray();
        ShiftPower = shiftPower;
        _resolutions = resolutions.ToArray();
        int lowest = _resolutions[^1];
        _levels = _resolutions.Select(r => baseSchedule.ShiftedForScale(r / lowest, shiftPower)).ToArray();
    }

    /// <summary>
    /// Every level with the base schedule, its image divided by its scale (side over the lowest level's side) instead:
    /// ml-mdm's nested pipeline with <c>schedule_shifted: false</c> (NestedSampler passes each level's scale as its
    /// image scale), which lowers a level's SNR scale²-fold.
    /// </summary>
    public static MultiResolutionSchedule WithRescaledSignal(NoiseSchedule baseSchedule, IReadOnlyList<int> resolutions)
    {
        ArgumentNullException.ThrowIfNull(resolutions);
        return new(baseSchedule, resolutions, 0, resolutions.Select(r => (double)(r / resolutions[^1])).ToArray());
    }

    /// <summary>The schedule of the lowest-resolution level.</summary>
    public NoiseSchedule Base { get; }

    /// <summary>The power p of the shift SNR / scale^p.</summary>
    public double ShiftPower { get; }

    /// <summary>Per level (high → low), the factor c its clean signal is divided by before noising (1: none).</summary>
    public IReadOnlyList<double> SignalScales { get; }

    /// <summary>Number of levels.</summary>
    public int LevelCount => _levels.Length;

    /// <summary>N, the number of noisy training steps.</summary>
    public int TrainSteps => Base.TrainSteps;

    /// <summary>Square side of every level, high → low.</summary>
    public IReadOnlyList<int> Resolutions => _resolutions;

    /// <summary>Each level's side divided by the lowest level's side (ml-mdm's <c>nest_ratio + [1]</c>).</summary>
    public IReadOnlyList<int> Scales => _resolutions.Select(r => r / _resolutions[^1]).ToArray();

    /// <summary>The shifted schedule of one level (0 = highest resolution).</summary>
    public NoiseSchedule Level(int level) => _levels[level];

    /// <summary>ᾱ of every level at the given step indices: one float32 tensor [B] per level, high → low.</summary>
    public Tensor[] Gather(Tensor indices) => _levels.Select(s => s.Gather(indices)).ToArray();
}
