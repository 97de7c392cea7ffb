using Matryoshka.Conditioning;
using static TorchSharp.torch;

namespace Matryoshka.Training;

/// <summary>Replaces chosen samples' text by the unconditional text (classifier-free guidance training).</summary>
internal static class ConditioningDropout
{
    /// <summary>
    /// Returns <paramref name="text"/> with the rows where <paramref name="drop"/> [B] is true replaced by
    /// <paramref name="unconditional"/> [1, T', D]; both are zero-padded to a common token length first.
    /// </summary>
    public static TextConditioning Apply(TextConditioning text, TextConditioning unconditional, Tensor drop)
    {
        var (given, empty) = TextConditioning.PadToCommonLength(text, unconditional);
        var rows = drop.to(given.Embeddings.device);
        var embeddings = where(rows.view(-1, 1, 1), empty.Embeddings.to(given.Embeddings.dtype).expand_as(given.Embeddings), given.Embeddings);
        var mask = where(rows.view(-1, 1), empty.Mask.to(given.Mask.dtype).expand_as(given.Mask), given.Mask);
        return new TextConditioning(embeddings, mask);
    }
}
