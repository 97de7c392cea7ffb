using Matryoshka.Models;
using Matryoshka.Sampling;
using static TorchSharp.torch;

namespace Matryoshka.Guidance;

/// <summary>
/// Classifier-free guidance as ml-mdm applies it: one network call on the doubled batch [unconditional;
/// conditional] and, for every level, p_u + w·(p_c − p_u) on the raw prediction. A scale of 1 skips the
/// unconditional branch and the doubled batch.
/// </summary>
public static class ClassifierFreeGuidance
{
    /// <summary>Wraps <paramref name="model"/> into a guided <see cref="Denoiser"/>.</summary>
    /// <param name="model">The network.</param>
    /// <param name="conditional">The prompt's embeddings.</param>
    /// <param name="unconditional">The negative prompt's (or empty prompt's) embeddings; required when the scale is not 1.</param>
    /// <param name="scale">w; 1 disables guidance.</param>
    public static Denoiser Wrap(NestedUNet model, TextConditioning conditional, TextConditioning? unconditional, double scale)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conditional);
        if (!double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The guidance scale must be finite.");
        if (scale == 1)
            return (noisy, t) => model.Forward(noisy, t, conditional.Embeddings, conditional.Mask);
        if (unconditional is null)
            throw new ArgumentNullException(nameof(unconditional), "Guidance with a scale other than 1 needs unconditional (negative-prompt) embeddings.");

        var (u, c) = TextConditioning.PadToCommonLength(unconditional, conditional);
        var text = cat(new[] { u.Embeddings, c.Embeddings }, 0);
        var mask = cat(new[] { u.Mask, c.Mask }, 0);
        return (noisy, t) =>
        {
            var doubled = noisy.Select(x => cat(new[] { x, x }, 0)).ToArray();
            var predictions = model.Forward(doubled, cat(new[] { t, t }, 0), text, mask);
            return predictions.Select(p =>
            {
                var halves = p.chunk(2, 0);
                return halves[0] + scale * (halves[1] - halves[0]);
            }).ToArray();
        };
    }
}
