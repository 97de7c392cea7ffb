namespace Matryoshka.Pipelines.Generation;

/// <summary>Which model a <see cref="GenerationJob"/> draws with: a model folder with a manifest, or an ml-mdm config and weights.</summary>
public sealed record GenerationModel
{
    private GenerationModel() { }

    /// <summary>A model folder with a <c>matryoshka.json</c> manifest, which brings its text encoder and tuned settings; null for an ml-mdm model.</summary>
    public string? Folder { get; private init; }

    /// <summary>An ml-mdm model config (YAML or config.json); null for a model folder.</summary>
    public string? ConfigPath { get; private init; }

    /// <summary>The ml-mdm model's weights (.safetensors or ml-mdm .pth); null for a model folder.</summary>
    public string? WeightsPath { get; private init; }

    /// <summary>The weights file, whichever kind of model this is.</summary>
    internal string Weights => WeightsPath ?? Pretrained.ModelManifest.Load(Folder!).WeightsPath;

    /// <summary>A model folder (see <see cref="Pretrained.ModelFolderResolver"/> to find one by name).</summary>
    public static GenerationModel FromFolder(string folder) => new() { Folder = folder ?? throw new ArgumentNullException(nameof(folder)) };

    /// <summary>An ml-mdm model: its diffusion_config gives the schedule, prediction and thresholding; other settings default to ml-mdm's demo (DDIM, 50 steps, guidance 7.5).</summary>
    public static GenerationModel FromMlMdm(string configPath, string weightsPath) => new()
    {
        ConfigPath = configPath ?? throw new ArgumentNullException(nameof(configPath)),
        WeightsPath = weightsPath ?? throw new ArgumentNullException(nameof(weightsPath)),
    };
}
