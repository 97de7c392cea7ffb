using static TorchSharp.torch;

namespace Matryoshka.Training;

/// <summary>The counters of a <see cref="Trainer"/> that a checkpoint must carry.</summary>
/// <param name="OptimizerSteps">Optimizer updates made (drives the learning-rate schedule).</param>
/// <param name="SkippedSteps">Updates skipped for non-finite losses or gradients.</param>
/// <param name="AdamSteps">The optimizer's own update count (its bias correction; carried across growth).</param>
public sealed record TrainerCounters(long OptimizerSteps, long SkippedSteps, long AdamSteps);

/// <summary>
/// A trainer's full state as named tensors (<c>model.*</c>, <c>ema.*</c>, <c>adam.m.*</c>, <c>adam.v.*</c>,
/// <c>rng.trainer</c>) and counters.
/// </summary>
/// <param name="Tensors">The tensors by name; those of the model, EMA and optimizer are the trainer's live tensors.</param>
/// <param name="Counters">The counters.</param>
public sealed record TrainerState(IReadOnlyDictionary<string, Tensor> Tensors, TrainerCounters Counters)
{
    /// <summary>Prefix of the model's state-dict entries.</summary>
    public const string ModelPrefix = "model.";

    /// <summary>Prefix of the EMA's entries.</summary>
    public const string EmaPrefix = "ema.";

    /// <summary>Prefix of AdamW's first moments, by parameter name.</summary>
    public const string FirstMomentPrefix = "adam.m.";

    /// <summary>Prefix of AdamW's second moments, by parameter name.</summary>
    public const string SecondMomentPrefix = "adam.v.";

    /// <summary>The trainer generator's state (bytes), which draws timesteps, noise and dropout.</summary>
    public const string GeneratorKey = "rng.trainer";
}
