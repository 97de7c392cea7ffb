using System.Security.Cryptography;
using Matryoshka.IO.Weights;
using Matryoshka.IO;
using Matryoshka.Models;
using static TorchSharp.torch;

namespace Matryoshka.Training;

/// <summary>Where a trained model's weights go in a model that starts from them.</summary>
public enum InitialWeightsFit
{
    /// <summary>They are the whole model (same keys and shapes): training continues from them.</summary>
    WholeModel,

    /// <summary>They are the model's inner level: the model is grown from them (<see cref="ModelGrowth"/>).</summary>
    InnerLevel,
}

/// <summary>
/// Starting a training from trained weights (a weights file such as models/emoji-64/ema.safetensors): either the whole
/// model's, or its inner level's, in which case the model grows from them exactly as progressive training does. The
/// fit is strict both ways, so a file that is neither is refused naming the tensors that do not fit.
/// </summary>
public static class InitialWeights
{
    private const int KeysShown = 3;

    /// <summary>Reads only <paramref name="path"/>'s header and says how it fits <paramref name="model"/>.</summary>
    /// <exception cref="ModelConfigurationException">The file is neither the whole model nor its inner level.</exception>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    public static InitialWeightsFit Check(string path, ModelConfig model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        var header = SafetensorsReader.ReadHeader(path);
        var shapes = ModelSummary.Of(model).Tensors.ToDictionary(t => t.Key, t => t.Shape, StringComparer.Ordinal);
        return Fit(header.Tensors.ToDictionary(t => t.Name, t => t.Shape, StringComparer.Ordinal), shapes);
    }

    /// <summary>Copies <paramref name="weights"/> into <paramref name="model"/>: as the whole model or, grown, into its inner level.</summary>
    /// <exception cref="ModelConfigurationException">The weights are neither the whole model nor its inner level.</exception>
    public static InitialWeightsFit Load(NestedUNet model, IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        using var scope = NewDisposeScope();
        var fit = Fit(weights.ToDictionary(p => p.Key, p => (IReadOnlyList<long>)p.Value.shape, StringComparer.Ordinal),
            model.state_dict().ToDictionary(p => p.Key, p => (IReadOnlyList<long>)p.Value.shape, StringComparer.Ordinal));
        if (fit == InitialWeightsFit.WholeModel) ModelWeights.Load(model, weights);
        else ModelGrowth.LoadInner(model, weights);
        return fit;
    }

    /// <summary>The file's SHA-256 (lower-case hex): checkpoints name the weights a run started from.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static InitialWeightsFit Fit(Dictionary<string, IReadOnlyList<long>> weights, Dictionary<string, IReadOnlyList<long>> model)
    {
        if (Mismatch(weights, model) is null) return InitialWeightsFit.WholeModel;
        var inner = model.Where(p => p.Key.StartsWith(ModelGrowth.InnerPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[ModelGrowth.InnerPrefix.Length..], p => p.Value, StringComparer.Ordinal);
        if (inner.Count > 0 && Mismatch(weights, inner) is null) return InitialWeightsFit.InnerLevel;
        var problem = inner.Count == 0 ? Mismatch(weights, model) : Mismatch(weights, inner);
        throw new ModelConfigurationException("inner",
            $"The initial weights ({weights.Count} tensors) are neither the model ({model.Count} tensors) nor its inner level " +
            $"({inner.Count} tensors); against the {(inner.Count == 0 ? "model" : "inner level")}: {problem}.");
    }

    private static string? Mismatch(Dictionary<string, IReadOnlyList<long>> weights, Dictionary<string, IReadOnlyList<long>> target)
    {
        var unexpected = weights.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var missing = target.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var reshaped = weights.Keys.Where(k => target.TryGetValue(k, out var shape) && !shape.SequenceEqual(weights[k])).ToList();
        if (unexpected.Count + missing.Count + reshaped.Count == 0) return null;
        static string Some(List<string> keys) => keys.Count == 0 ? "" : $" (e.g. {string.Join(", ", keys.Take(KeysShown))})";
        return $"{unexpected.Count} tensors have no place{Some(unexpected)}, {missing.Count} are not in the file{Some(missing)}, " +
            $"{reshaped.Count} differ in shape{Some(reshaped)}";
    }
}
