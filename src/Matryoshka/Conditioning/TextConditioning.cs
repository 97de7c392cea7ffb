using static TorchSharp.torch;

namespace Matryoshka.Conditioning;

/// <summary>Text embeddings [B, T, D] and their token mask [B, T] (nonzero = real token), as a model consumes them.</summary>
public sealed record TextConditioning(Tensor Embeddings, Tensor Mask)
{
    /// <summary>
    /// Pads both to the same token length with zero vectors and zero mask entries, as ml-mdm's batching does when
    /// a prompt and its negative prompt are tokenised together (padded tokens are zero vectors there).
    /// </summary>
    public static (TextConditioning First, TextConditioning Second) PadToCommonLength(TextConditioning first, TextConditioning second)
    {
        long length = Math.Max(first.Embeddings.shape[1], second.Embeddings.shape[1]);
        return (first.PadTo(length), second.PadTo(length));
    }

    private TextConditioning PadTo(long length)
    {
        long missing = length - Embeddings.shape[1];
        if (missing == 0) return this;
        var embeddings = cat(new[] { Embeddings, zeros(new[] { Embeddings.shape[0], missing, Embeddings.shape[2] }, dtype: Embeddings.dtype, device: Embeddings.device) }, 1);
        var mask = cat(new[] { Mask, zeros(new[] { Mask.shape[0], missing }, dtype: Mask.dtype, device: Mask.device) }, 1);
        return new TextConditioning(embeddings, mask);
    }
}
