using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// Noise given in advance, by level for the initial noise and by (step, level) for step noise — for replaying a
/// recorded run (e.g. ml-mdm's <c>noise_init.&lt;level&gt;</c> and <c>noise_step.&lt;step&gt;.&lt;level&gt;</c>).
/// Asking for noise that was not given, or of another shape, is an error.
/// </summary>
public sealed class RecordedNoiseSource : INoiseSource
{
    private readonly IReadOnlyList<Tensor> _initial;
    private readonly Func<int, int, Tensor?> _step;

    /// <param name="initial">Initial noise per level, high → low.</param>
    /// <param name="step">Noise for (step, level), or null where none was recorded.</param>
    public RecordedNoiseSource(IReadOnlyList<Tensor> initial, Func<int, int, Tensor?> step)
    {
        _initial = initial ?? throw new ArgumentNullException(nameof(initial));
        _step = step ?? throw new ArgumentNullException(nameof(step));
    }

    /// <inheritdoc />
    public Tensor Initial(int level, Tensor like)
    {
        if (level >= _initial.Count) throw new InvalidOperationException($"No initial noise was recorded for level {level}.");
        return Checked(_initial[level], like, $"initial noise of level {level}");
    }

    /// <inheritdoc />
    public Tensor Step(int step, int level, Tensor like) =>
        Checked(_step(step, level) ?? throw new InvalidOperationException($"No noise was recorded for step {step}, level {level}."), like, $"noise of step {step}, level {level}");

    private static Tensor Checked(Tensor noise, Tensor like, string what)
    {
        if (!noise.shape.SequenceEqual(like.shape))
            throw new InvalidOperationException($"The recorded {what} has shape [{string.Join(", ", noise.shape)}], expected [{string.Join(", ", like.shape)}].");
        return noise.to(like.dtype, like.device);
    }
}
