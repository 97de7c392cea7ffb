using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;
using static TorchSharp.torch;

namespace Matryoshka.IO.Weights;

/// <summary>Loads and saves model weights with ml-mdm's state_dict key names.</summary>
public static class ModelWeights
{
    private const int KeysShown = 10;

    /// <summary>
    /// Copies tensors into the model's parameters and buffers by key (converting dtype and device). Strict by default:
    /// any missing or unexpected key fails before anything is copied. A shape mismatch always fails, naming the key.
    /// </summary>
    /// <exception cref="WeightsMismatchException">Keys do not match (strict) or a shape differs.</exception>
    public static WeightLoadReport Load(nn.Module model, IReadOnlyDictionary<string, Tensor> tensors, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        var targets = model.state_dict();
        var missing = targets.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        var unexpected = tensors.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0)) throw KeysMismatch(missing, unexpected);

        foreach (var (key, target) in targets)
        {
            if (tensors.TryGetValue(key, out var source) && !source.shape.SequenceEqual(target.shape))
                throw ShapeMismatch(key, source.shape, target.shape);
        }

        int loaded = 0;
        using (no_grad())
        {
            foreach (var (key, target) in targets)
            {
                if (!tensors.TryGetValue(key, out var source)) continue;
                target.copy_(source);
                loaded++;
            }
        }
        return new WeightLoadReport(loaded, missing, unexpected);
    }

    /// <summary>
    /// Loads a weights file into the model: <c>.safetensors</c> (validated), or a PyTorch checkpoint (<c>.pth</c>,
    /// <c>.pt</c>, <c>.ckpt</c>, <c>.bin</c>; a state_dict or ml-mdm's trainer checkpoint with a <c>state_dict</c> entry),
    /// read without running anything named in its pickle. See <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, bool)"/>.
    /// </summary>
    /// <exception cref="MatryoshkaException">The file is missing, of an unknown kind, malformed, unsafe or does not fit the model.</exception>
    public static WeightLoadReport Load(nn.Module model, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new MatryoshkaException($"{path}: weights file not found");
        using var scope = NewDisposeScope();
        IReadOnlyDictionary<string, Tensor> tensors = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".safetensors" => SafetensorsReader.Load(path),
            ".pth" or ".pt" or ".ckpt" or ".bin" => PickleCheckpoint.LoadTensors(path),
            var other => throw new MatryoshkaException($"{path}: unsupported weights file type '{other}' (expected .safetensors or a PyTorch checkpoint .pth/.pt/.ckpt/.bin)"),
        };
        return Load(model, tensors, strict);
    }

    /// <summary>Saves every parameter and buffer of the model (ml-mdm key names) to a safetensors file.</summary>
    public static void Save(nn.Module model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        SafetensorsWriter.Save(path, model.state_dict(), metadata);
    }

    /// <summary>The error for keys the model has but the weights lack, or the reverse; each list is shown (up to 10 keys).</summary>
    internal static WeightsMismatchException KeysMismatch(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) =>
        new($"The weights do not match the model: {Describe(missing, "missing")}; {Describe(unexpected, "unexpected")}.", missing, unexpected);

    /// <summary>The error for a weight whose shape differs from the model's tensor of the same key.</summary>
    internal static WeightsMismatchException ShapeMismatch(string key, IEnumerable<long> source, IEnumerable<long> target) =>
        new($"Weight '{key}' has shape [{string.Join(", ", source)}] but the model expects [{string.Join(", ", target)}].",
            Array.Empty<string>(), Array.Empty<string>());

    private static string Describe(IReadOnlyList<string> keys, string what) =>
        keys.Count == 0 ? $"none {what}"
        : $"{keys.Count} {what} ({string.Join(", ", keys.Take(KeysShown))}{(keys.Count > KeysShown ? ", …" : "")})";
}
