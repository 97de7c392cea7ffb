using Matryoshka.Conditioning;
using Matryoshka.Models;
using Matryoshka.Sampling;

namespace Matryoshka.Guidance;

/// <summary>
/// A guidance method: turns the model and the generation's text conditioning into the <see cref="Denoiser"/> the
/// sampler calls each step. Implement it to add methods beyond classifier-free guidance; implementations are
/// immutable and shared by concurrent generations.
/// </summary>
public interface IGuidance
{
    /// <summary>Whether the method needs unconditional (negative-prompt) conditioning.</summary>
    bool NeedsUnconditional { get; }

    /// <summary>The guided denoiser for one generation.</summary>
    /// <param name="model">The network.</param>
    /// <param name="conditional">The prompt's conditioning, batched.</param>
    /// <param name="unconditional">The negative prompt's, batched, when <see cref="NeedsUnconditional"/>.</param>
    /// <param name="trainSteps">N of the schedule.</param>
    Denoiser Guide(NestedUNet model, TextConditioning conditional, TextConditioning? unconditional, int trainSteps);
}

/// <summary>Classifier-free guidance (<see cref="ClassifierFreeGuidance"/>) as an <see cref="IGuidance"/>.</summary>
public sealed class ClassifierFreeGuider : IGuidance
{
    /// <summary>Creates the guider; the options are validated here.</summary>
    public ClassifierFreeGuider(ClassifierFreeGuidanceOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
    }

    /// <summary>The guidance settings.</summary>
    public ClassifierFreeGuidanceOptions Options { get; }

    /// <inheritdoc />
    public bool NeedsUnconditional => Options.Scale != 1;

    /// <inheritdoc />
    public Denoiser Guide(NestedUNet model, TextConditioning conditional, TextConditioning? unconditional, int trainSteps) =>
        ClassifierFreeGuidance.Wrap(model, conditional, unconditional, Options, trainSteps);
}
