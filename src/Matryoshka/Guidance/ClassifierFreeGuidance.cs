using Matryoshka.Conditioning;
using Matryoshka.Models;
using Matryoshka.Sampling;
using static TorchSharp.torch;

namespace Matryoshka.Guidance;

/// <summary>
/// Classifier-free guidance as ml-mdm applies it: one network call on the doubled batch [unconditional;
/// conditional] and, for every level, p_u + w·(p_c − p_u) on the raw prediction; optionally rescaled
/// (diffusers' guidance_rescale) and limited to an interval of timesteps. A scale of 1 skips the unconditional
/// branch and the doubled batch.
/// </summary>
public static class ClassifierFreeGuidance
{
    /// <summary>Wraps <paramref name="model"/> into a guided <see cref="Denoiser"/> with ml-mdm's plain guidance of scale <paramref name="scale"/>.</summary>
    public static Denoiser Wrap(NestedUNet model, TextConditioning conditional, TextConditioning? unconditional, double scale) =>
        Wrap(model, conditional, unconditional, new ClassifierFreeGuidanceOptions { Scale = scale }, trainSteps: 1000);

    /// <summary>Wraps <paramref name="model"/> into a guided <see cref="Denoiser"/>.</summary>
    /// <param name="model">The network.</param>
    /// <param name="conditional">The prompt's embeddings.</param>
    /// <param name="unconditional">The negative prompt's (or empty prompt's) embeddings; required unless the scale is 1.</param>
    /// <param name="options">Scale, rescale, interval.</param>
    /// <param name="trainSteps">N, to place network timesteps within the guidance interval.</param>
    public static Denoiser Wrap(NestedUNet model, TextConditioning conditional, TextConditioning? unconditional,
        ClassifierFreeGuidanceOptions options, int trainSteps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conditional);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (trainSteps < 1) throw new ArgumentOutOfRangeException(nameof(trainSteps), trainSteps, "N must be positive.");
        if (unconditional is null && options.Scale != 1)
            throw new ArgumentNullException(nameof(unconditional), "Guidance with a scale other than 1 needs unconditional (negative-prompt) embeddings.");
        // The text path and micro-conditioning are the same at every step: computed here, once per generation.
        var prepared = model.PrepareConditioning(conditional.Embeddings.shape[0], conditional.Embeddings, conditional.Mask);
        IReadOnlyList<Tensor> Conditional(IReadOnlyList<Tensor> noisy, Tensor t) => model.Forward(noisy, t, prepared);
        if (options.Scale == 1) return Conditional;

        var (u, c) = TextConditioning.PadToCommonLength(unconditional!, conditional);
        var text = cat(new[] { u.Embeddings, c.Embeddings }, 0);
        var doubledConditioning = model.PrepareConditioning(text.shape[0], text, cat(new[] { u.Mask, c.Mask }, 0));
        return (noisy, t) =>
        {
            if (!InInterval(t, options, trainSteps)) return Conditional(noisy, t);
            var doubled = noisy.Select(x => cat(new[] { x, x }, 0)).ToArray();
            var predictions = model.Forward(doubled, cat(new[] { t, t }, 0), doubledConditioning);
            return predictions.Select(p =>
            {
                var halves = p.chunk(2, 0);
                return Combine(halves[0], halves[1], options);
            }).ToArray();
        };
    }

    /// <summary>
    /// The guided prediction from the unconditional and conditional ones: p_u + w·(p_c − p_u), then, if
    /// <see cref="ClassifierFreeGuidanceOptions.Rescale"/> φ &gt; 0, φ·(guided·std(p_c)/std(guided)) + (1 − φ)·guided with
    /// per-sample (unbiased) standard deviations over all other dimensions, as diffusers does.
    /// </summary>
    public static Tensor Combine(Tensor unconditional, Tensor conditional, ClassifierFreeGuidanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        var guided = unconditional + options.Scale * (conditional - unconditional);
        if (options.Rescale > 0)
        {
            var dims = Enumerable.Range(1, (int)conditional.dim() - 1).Select(d => (long)d).ToArray();
            var rescaled = guided * (conditional.std(dims, keepdim: true) / guided.std(dims, keepdim: true));
            guided = options.Rescale * rescaled + (1 - options.Rescale) * guided;
        }
        return guided.MoveToOuterDisposeScope();
    }

    // The whole batch shares one timestep in a sampling loop; the first sample decides.
    private static bool InInterval(Tensor networkTimesteps, ClassifierFreeGuidanceOptions options, int trainSteps)
    {
        if (options.IntervalStart <= 0 && options.IntervalEnd >= 1) return true;
        double position = (networkTimesteps[0].item<long>() + 1) / (double)trainSteps;
        return position >= options.IntervalStart && position <= options.IntervalEnd;
    }
}
