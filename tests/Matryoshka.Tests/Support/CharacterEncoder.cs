using Matryoshka.Conditioning;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Support;

/// <summary>Embeds each character's code one-hot, plus an end token (so "" has one token, as with ml-mdm's &lt;/s&gt;).</summary>
public sealed class CharacterEncoder : ITextEncoder
{
    public int EmbeddingDim { get; init; } = 48;

    public TextConditioning Encode(IReadOnlyList<string> prompts, Device device)
    {
        int length = prompts.Max(p => p.Length) + 1;
        var embeddings = zeros(new long[] { prompts.Count, length, EmbeddingDim }, device: device);
        var mask = zeros(new long[] { prompts.Count, length }, device: device);
        for (int b = 0; b < prompts.Count; b++)
        {
            for (int i = 0; i < prompts[b].Length; i++)
            {
                embeddings[b, i, prompts[b][i] % EmbeddingDim] = tensor(1f);
                mask[b, i] = tensor(1f);
            }
            embeddings[b, prompts[b].Length, EmbeddingDim - 1] = tensor(1f);
            mask[b, prompts[b].Length] = tensor(1f);
        }
        return new TextConditioning(embeddings, mask);
    }
}
