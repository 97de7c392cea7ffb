using static TorchSharp.torch;

namespace Matryoshka.Conditioning;

/// <summary>
/// Turns prompts into the text embeddings a model is conditioned on. Implementations must be safe to call from
/// several generations at once, and must pad a batch to its longest prompt the way the model was trained (ml-mdm:
/// zero vectors and mask 0 for padding).
/// </summary>
public interface ITextEncoder
{
    /// <summary>Width D of the embeddings.</summary>
    int EmbeddingDim { get; }

    /// <summary>Encodes the prompts into [B, T, D] embeddings and a [B, T] mask on <paramref name="device"/>.</summary>
    TextConditioning Encode(IReadOnlyList<string> prompts, Device device);
}
