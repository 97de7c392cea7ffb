using Matryoshka.IO.Weights;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// Loads Hugging Face T5 weights into a <see cref="T5Encoder"/>: from <c>model.safetensors</c>, from a sharded
/// checkpoint (<c>model.safetensors.index.json</c>), or from a folder holding either. Every key, shape and dtype is
/// checked against the headers before anything is read; tensors are then read shard by shard, one at a time, copied
/// into the encoder's parameters (cast to its dtype, moved to its device) and released, so loading needs the
/// encoder's memory plus one tensor.
/// </summary>
public static class T5EncoderWeights
{
    /// <summary>The token embedding's key in transformers' T5 models.</summary>
    public const string SharedEmbeddingKey = "shared.weight";

    /// <summary>The same embedding as the encoder's own key; either may be present.</summary>
    public const string EncoderEmbeddingKey = "encoder.embed_tokens.weight";

    /// <summary>
    /// Loads <paramref name="path"/> (a <c>.safetensors</c> file, a shard index, or a model folder) into
    /// <paramref name="encoder"/>. The embedding may be stored as <c>shared.weight</c> or
    /// <c>encoder.embed_tokens.weight</c> (or both, the same tensor); decoder weights (<c>decoder.*</c>,
    /// <c>lm_head.weight</c>) are ignored, so full T5 checkpoints load. Any other key the encoder lacks is refused: it
    /// means the config does not describe the checkpoint.
    /// </summary>
    /// <returns>The number of tensors loaded, and in <see cref="WeightLoadReport.Unexpected"/> the keys ignored.</returns>
    /// <exception cref="WeightsMismatchException">An encoder key is missing, an unknown key is present, or a shape differs (named).</exception>
    /// <exception cref="SafetensorsCheckpointException">The shard index is malformed, or a shard or a tensor it names is missing.</exception>
    /// <exception cref="SafetensorsFormatException">A safetensors file is invalid.</exception>
    public static WeightLoadReport Load(T5Encoder encoder, string path)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return Load(encoder, SafetensorsCheckpoint.Open(path));
    }

    /// <summary>Loads an opened checkpoint into <paramref name="encoder"/>; see <see cref="Load(T5Encoder, string)"/>.</summary>
    public static WeightLoadReport Load(T5Encoder encoder, SafetensorsCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var targets = encoder.state_dict();
        var sourceOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in targets.Keys)
        {
            if (SourceKey(key, checkpoint) is { } source) sourceOf.Add(key, source);
            else missing.Add(key);
        }
        var used = sourceOf.Values.ToHashSet(StringComparer.Ordinal);
        var unused = checkpoint.Tensors.Keys.Where(k => !used.Contains(k)).ToList();
        var unexpected = unused.Where(k => !IsIgnored(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0) throw ModelWeights.KeysMismatch(missing, unexpected);

        foreach (var (key, source) in sourceOf)
        {
            var info = checkpoint.Tensors[source];
            if (!info.Shape.SequenceEqual(targets[key].shape)) throw ModelWeights.ShapeMismatch(source, info.Shape, targets[key].shape);
            if (!is_floating_point(info.DType.ToScalarType()))
                throw new WeightsMismatchException($"Weight '{source}' in {checkpoint.FileOf(source)} is {info.DType.ToHeaderString()}; T5 weights are floating-point.",
                    Array.Empty<string>(), Array.Empty<string>());
        }

        var targetOf = sourceOf.ToDictionary(p => p.Value, p => targets[p.Key], StringComparer.Ordinal);
        using (no_grad())
        {
            checkpoint.ReadEach(targetOf.ContainsKey, (info, tensor) => targetOf[info.Name].copy_(tensor));
        }
        return new WeightLoadReport(sourceOf.Count, Array.Empty<string>(), unused);
    }

    // The checkpoint's key for an encoder key: itself, or for the embedding its other name.
    private static string? SourceKey(string key, SafetensorsCheckpoint checkpoint)
    {
        if (checkpoint.Tensors.ContainsKey(key)) return key;
        if (key == SharedEmbeddingKey && checkpoint.Tensors.ContainsKey(EncoderEmbeddingKey)) return EncoderEmbeddingKey;
        return null;
    }

    private static bool IsIgnored(string key) =>
        key.StartsWith("decoder.", StringComparison.Ordinal) || key == "lm_head.weight" || key == EncoderEmbeddingKey;
}
