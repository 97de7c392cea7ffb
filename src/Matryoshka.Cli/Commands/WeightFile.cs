using Matryoshka.Models;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>Loads model weights from a file, choosing the reader by extension.</summary>
internal static class WeightFile
{
    public static WeightLoadReport LoadInto(nn.Module model, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"weights file not found: {path}");
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".safetensors" => ModelWeights.Load(model, path),
            var other => throw new MatryoshkaException($"{path}: unsupported weights file type '{other}' (expected .safetensors)"),
        };
    }
}
