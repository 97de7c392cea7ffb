using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Models;

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
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
            throw new WeightsMismatchException(
                $"The weights do not match the model: {Describe(missing, "missing")}; {Describe(unexpected, "unexpected")}.", missing, unexpected);

        foreach (var (key, target) in targets)
        {
            if (tensors.TryGetValue(key, out var source) && !source.shape.SequenceEqual(target.shape))
                throw new WeightsMismatchException(
                    $"Weight '{key}' has shape [{string.Join(", ", source.shape)}] but the model expects [{string.Join(", ", target.shape)}].",
                    Array.Empty<string>(), Array.Empty<string>());
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

    /// <summary>Loads a safetensors file (validated) into the model; see <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, bool)"/>.</summary>
    public static WeightLoadReport Load(nn.Module model, string safetensorsPath, bool strict = true)
    {
        using var scope = NewDisposeScope();
        return Load(model, SafetensorsReader.Load(safetensorsPath), strict);
    }

    /// <summary>Saves every parameter and buffer of the model (ml-mdm key names) to a safetensors file.</summary>
    public static void Save(nn.Module model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        SafetensorsWriter.Save(path, model.state_dict(), metadata);
    }

    private static string Describe(IReadOnlyList<string> keys, string what) =>
        keys.Count == 0 ? $"none {what}"
        : $"{keys.Count} {what} ({string.Join(", ", keys.Take(KeysShown))}{(keys.Count > KeysShown ? ", …" : "")})";
}
