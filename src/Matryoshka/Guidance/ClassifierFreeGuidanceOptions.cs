namespace Matryoshka.Guidance;

/// <summary>
/// Classifier-free guidance settings, with diffusers' names and semantics where ml-mdm has none.
/// </summary>
public sealed record ClassifierFreeGuidanceOptions
{
    /// <summary>w in p_u + w·(p_c − p_u) (diffusers <c>guidance_scale</c>); 1 disables guidance and the doubled batch.</summary>
    public double Scale { get; init; } = 7.5;

    /// <summary>
    /// φ of "Common Diffusion Noise Schedules and Sample Steps are Flawed" (diffusers <c>guidance_rescale</c>): the
    /// guided prediction is rescaled to the conditional prediction's per-sample std and blended, φ·rescaled + (1 − φ)·guided.
    /// 0 (ml-mdm) leaves it as is.
    /// </summary>
    public double Rescale { get; init; }

    /// <summary>
    /// Guidance applies only while the step index (the network's timestep + 1) as a fraction of the N training
    /// steps (near 0 = almost clean, 1 = pure noise) lies in [<see cref="IntervalStart"/>, <see cref="IntervalEnd"/>] (guidance in a limited interval,
    /// Kynkäänniemi et al. 2024); elsewhere the conditional prediction is used alone, in one undoubled call.
    /// </summary>
    public double IntervalStart { get; init; }

    /// <summary>Upper end of the guidance interval (see <see cref="IntervalStart"/>).</summary>
    public double IntervalEnd { get; init; } = 1;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!double.IsFinite(Scale)) throw new ArgumentOutOfRangeException(nameof(Scale), Scale, "The guidance scale must be finite.");
        if (!(Rescale >= 0 && Rescale <= 1)) throw new ArgumentOutOfRangeException(nameof(Rescale), Rescale, "guidance_rescale must be in [0, 1].");
        if (!(IntervalStart >= 0 && IntervalEnd <= 1 && IntervalStart <= IntervalEnd))
            throw new ArgumentOutOfRangeException(nameof(IntervalStart), $"The guidance interval [{IntervalStart}, {IntervalEnd}] must lie within [0, 1] with start ≤ end.");
    }
}
