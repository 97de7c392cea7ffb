using Matryoshka.Evaluation;
using static TorchSharp.torch;

namespace Matryoshka.Training.Experiments;

/// <summary>How <see cref="ExperimentWorkflow.RunAsync"/> runs an experiment spec.</summary>
public sealed record ExperimentRunOptions
{
    /// <summary>
    /// Only this seed's rows (null: every seed of the spec). Processes running different seeds on the same output
    /// folder share results.csv safely, so a machine with idle cores can run the seeds side by side.
    /// </summary>
    public ulong? OnlySeed { get; init; }

    /// <summary>Where the arms train and sample (null: the CPU).</summary>
    public Device? Device { get; init; }

    /// <summary>The evaluation's image features (null: <see cref="ResNet18FeatureExtractor"/>, made and disposed by the run).</summary>
    public IImageFeatureExtractor? Features { get; init; }

    /// <summary>Training steps between progress lines.</summary>
    public int ProgressEvery { get; init; } = 100;
}
