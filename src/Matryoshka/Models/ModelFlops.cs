namespace Matryoshka.Models;

/// <summary>
/// Floating-point operations of one forward pass of a model, per level and in total, derived from the config alone
/// (no tensors are allocated, no model is built).
/// </summary>
/// <remarks>
/// <para>Conventions: batch 1, every level at its config resolution, 2 FLOPs per multiply-accumulate. Counted are</para>
/// <list type="bullet">
/// <item>convolutions (3×3, 1×1, the stride-2 down and the post-upsample up convolutions): 2·C_in·C_out·k²·H_out·W_out,
/// padding positions included, as a dense convolution computes them;</item>
/// <item>linear layers: 2·tokens·in·out (tokens is 1 for the time, micro-conditioning and pooled-text embeddings, the
/// text length for text projections);</item>
/// <item>attention products: Q·Kᵀ and softmax(·)·V each 2·T_q·T_k·d summed over heads (d = channels / heads), i.e.
/// 4·T_q·T_k·C per attention, with T_q = H·W spatial tokens of that resolution, T_k = H·W for self-attention and the
/// text length for cross-attention (masked text tokens still cost their products).</item>
/// </list>
/// <para>Not counted: elementwise operations (additions, scale-shift, the nearest upsample, concatenations), biases,
/// normalisations, activations, softmax and the sinusoidal embeddings: they do O(1) operations per element, are
/// memory-bound and are small next to the products above. ml-mdm's unused <c>interp_layer</c> linears and the
/// <c>cond_emb</c> of a non-innermost level never run, so they cost nothing.</para>
/// <para>Per level means the work of that level's own UNet: an outer level excludes the level nested inside it but
/// includes the <c>in_adapter</c>/<c>out_adapter</c> it owns (as <see cref="LevelSummary.Parameters"/> counts them);
/// the text path (<c>lm_proj</c>, <c>lm_head</c>, <c>cond_emb</c>) runs once, in the innermost level, and is counted
/// there. A class-conditional model's "text" is one learned token, so its text length is 1 whatever is asked. A
/// config that builds but cannot run (see <see cref="ModelPlan.EnsureRunnable"/>) is counted as if it ran.</para>
/// <para>A training step is estimated as <see cref="TrainingStepFactor"/> × forward: the backward pass costs about
/// twice the forward (one product for the input gradient, one for the weight gradient, per forward product). This
/// is the usual rule of thumb; it ignores recomputation, the optimizer and the EMA update.</para>
/// </remarks>
public sealed class ModelFlops
{
    /// <summary>Text tokens assumed for cross-attention and the text projections when none is given: the <c>max_tokens</c> of the sample training configs.</summary>
    public const int DefaultTextLength = 32;

    /// <summary>Training step ≈ this × forward (forward + a backward of about twice the forward).</summary>
    public const int TrainingStepFactor = 3;

    private ModelFlops(ModelPlan plan, int textLength, IReadOnlyList<LevelFlops> levels)
    {
        Plan = plan;
        TextLength = textLength;
        Levels = levels;
        Forward = levels.Sum(l => l.Forward);
    }

    /// <summary>The validated, resolved config.</summary>
    public ModelPlan Plan { get; }

    /// <summary>Text tokens the counts assume (1 for a class-conditional model; irrelevant for an unconditioned one).</summary>
    public int TextLength { get; }

    /// <summary>Every level, outermost first, each without the levels nested inside it.</summary>
    public IReadOnlyList<LevelFlops> Levels { get; }

    /// <summary>Forward FLOPs of the whole model (all levels, one network call) at batch 1.</summary>
    public long Forward { get; }

    /// <summary>Estimated FLOPs of one training step at batch 1: <see cref="TrainingStepFactor"/> × <see cref="Forward"/>.</summary>
    public long TrainingStep => TrainingStepEstimate(Forward);

    /// <summary>A training step's estimated FLOPs from a forward count: <see cref="TrainingStepFactor"/> × <paramref name="forwardFlops"/>.</summary>
    public static long TrainingStepEstimate(long forwardFlops) => checked(TrainingStepFactor * forwardFlops);

    /// <summary>Counts the forward FLOPs of <paramref name="config"/> per level.</summary>
    /// <param name="config">The model config.</param>
    /// <param name="textLength">Text tokens per prompt (padded length) for cross-attention and the text projections.</param>
    /// <exception cref="ModelConfigurationException">The config is invalid; the message names the field and value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="textLength"/> is not positive.</exception>
    public static ModelFlops Of(ModelConfig config, int textLength = DefaultTextLength)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Of(config.Plan(), textLength);
    }

    /// <summary>Counts the forward FLOPs of an already validated <paramref name="plan"/> per level.</summary>
    /// <param name="plan">The resolved config.</param>
    /// <param name="textLength">Text tokens per prompt (padded length) for cross-attention and the text projections.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="textLength"/> is not positive.</exception>
    public static ModelFlops Of(ModelPlan plan, int textLength = DefaultTextLength)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(textLength);
        int tokens = plan.Config.ClassCount > 0 ? 1 : textLength;
        var levels = plan.Levels.Select(level => FlopCounter.Count(plan, level, tokens)).ToArray();
        return new ModelFlops(plan, tokens, levels);
    }
}
