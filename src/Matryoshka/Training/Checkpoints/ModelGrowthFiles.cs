using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using static TorchSharp.torch;

namespace Matryoshka.Training.Checkpoints;

/// <summary>
/// Progressive training's growth step on files (<see cref="ModelGrowth"/> on models): a smaller model's weights (a
/// training checkpoint's or a safetensors file) become a larger model's wrapped level, and the grown model is saved.
/// </summary>
public static class ModelGrowthFiles
{
    /// <summary>
    /// Builds the model of <paramref name="largerConfigPath"/>, loads <paramref name="from"/> into its
    /// <c>inner_unet.*</c> and saves it to <paramref name="outputPath"/>. The new level keeps its initialisation (zero
    /// output, so the grown model starts exactly where the smaller one was), drawn from torch's global generator:
    /// seed it (<c>torch.manual_seed</c>) for a reproducible file.
    /// </summary>
    /// <param name="from">A training checkpoint's record (<c>.json</c>) or the smaller model's weights (<c>.safetensors</c>).</param>
    /// <param name="largerConfigPath">The larger model's ml-mdm config (.yaml or .json); its inner level must be the smaller model.</param>
    /// <param name="outputPath">The grown model's weights (.safetensors).</param>
    /// <param name="options">Text width and which checkpoint weights; null: the defaults.</param>
    /// <exception cref="ModelConfigurationException">The config is invalid, or its inner level is not the smaller model.</exception>
    /// <exception cref="ModelMemoryException">The larger model's weights exceed <see cref="ModelGrowthFileOptions.MemoryLimitBytes"/>.</exception>
    /// <exception cref="MatryoshkaException">The weights or checkpoint are refused.</exception>
    /// <exception cref="IOException">A file cannot be read or written.</exception>
    public static ModelGrowthFileResult Grow(string from, string largerConfigPath, string outputPath, ModelGrowthFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(largerConfigPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        options ??= new ModelGrowthFileOptions();
        if (options.MemoryLimitBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.MemoryLimitBytes, "MemoryLimitBytes must be positive.");
        using var scope = NewDisposeScope();
        var config = ModelConfigFiles.Load(largerConfigPath, options.TextEmbeddingDim);
        ModelMemoryBudget.Check(config, largerConfigPath, ScalarType.Float32, options.MemoryLimitBytes);
        var weights = CheckpointWeights.LoadFile(from, options.Weights, options.InitialWeights);
        using var larger = new NestedUNet(config);
        ModelGrowth.LoadInner(larger, weights);
        ModelWeights.Save(larger, outputPath);
        return new ModelGrowthFileResult(weights.Count, larger.state_dict().Count);
    }
}
