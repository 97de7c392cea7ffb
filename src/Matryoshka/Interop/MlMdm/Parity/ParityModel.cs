using Matryoshka.IO.Weights;
using Matryoshka.IO;
using Matryoshka.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>The model a bundle is replayed with: its config at the bundle's resolution and text width, weights loaded, in eval mode on the device.</summary>
internal static class ParityModel
{
    public static (NestedUNet Model, int TensorsLoaded) Load(string configPath, string weightsPath, long? textWidth, int resolution, string source, Device device)
    {
        var config = ModelConfigFiles.Load(configPath);
        if (config.TextEmbeddingDim <= 0 && textWidth is long width) config = ModelConfigFiles.Load(configPath, (int)width);
        if (textWidth is long w && w != config.TextEmbeddingDim)
            throw new ParityBundleException(source, $"text embeddings have width {w} but the model expects {config.TextEmbeddingDim}");
        var model = new NestedUNet(config with { Resolution = resolution });
        try
        {
            var loaded = ModelWeights.Load(model, weightsPath);
            model.to(device);
            model.eval();
            return (model, loaded.Loaded);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
