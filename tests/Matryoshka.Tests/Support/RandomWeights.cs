using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using static TorchSharp.torch;

namespace Matryoshka.Tests;

/// <summary>Weights files for model configs, drawn at random: fresh models predict exactly 0 (zero-initialised output
/// convolutions), which would hide the effect of their inputs.</summary>
internal static class RandomWeights
{
    /// <summary>Draws every parameter of <paramref name="model"/> from N(0, 0.05²).</summary>
    public static void Fill(NestedUNet model, int seed)
    {
        var generator = new Generator(seed: (ulong)seed);
        using (no_grad())
            foreach (var parameter in model.parameters()) parameter.normal_(0, 0.05, generator);
    }

    public static void Save(string configPath, int? textDim, string path, int seed = 3)
    {
        using var scope = NewDisposeScope();
        using var model = new NestedUNet(ModelConfigFiles.Load(configPath, textDim));
        Fill(model, seed);
        ModelWeights.Save(model, path);
    }
}
