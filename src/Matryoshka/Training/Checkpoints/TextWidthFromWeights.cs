using Matryoshka.Models;
using TorchSharp;

namespace Matryoshka.Training.Checkpoints;

/// <summary>
/// The text width a model was trained with, read from its weights. ml-mdm's configs leave it open
/// (<c>conditioning_feature_dim: -1</c>: the text model decides); the tensors that read text embeddings record it.
/// </summary>
internal static class TextWidthFromWeights
{
    /// <summary>
    /// Compares the architecture built with text widths 1 and 2 (on the meta device, no weights allocated): on an axis
    /// that grows with the width, the weights' size gives it. Null when no tensor depends on the width (an
    /// unconditioned model) or the weights lack those tensors.
    /// </summary>
    public static int? Find(ModelConfig config, IReadOnlyDictionary<string, torch.Tensor> weights)
    {
        IReadOnlyList<StateDictEntry> one, two;
        try
        {
            one = ModelSummary.Of(config with { TextEmbeddingDim = 1 }).Tensors;
            two = ModelSummary.Of(config with { TextEmbeddingDim = 2 }).Tensors;
        }
        catch (ModelConfigurationException)
        {
            return null; // the key check that follows reports the mismatch
        }
        var widened = two.ToDictionary(e => e.Key, e => e.Shape, StringComparer.Ordinal);
        foreach (var entry in one)
        {
            if (!widened.TryGetValue(entry.Key, out var shape) || !weights.TryGetValue(entry.Key, out var tensor) || tensor.dim() != entry.Shape.Count)
                continue;
            for (int axis = 0; axis < shape.Count; axis++)
            {
                long perWidth = shape[axis] - entry.Shape[axis];
                long beyondOne = tensor.shape[axis] - entry.Shape[axis];
                if (perWidth > 0 && beyondOne >= 0 && beyondOne % perWidth == 0 && 1 + beyondOne / perWidth <= int.MaxValue)
                    return (int)(1 + beyondOne / perWidth);
            }
        }
        return null;
    }
}
