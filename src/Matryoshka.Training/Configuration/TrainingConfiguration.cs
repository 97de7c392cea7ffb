using static TorchSharp.torch;

namespace Matryoshka.Training.Configuration;

/// <summary>
/// A training configuration file (YAML, see samples/configs/tiny-two-level.yaml) as read: its fields and text.
/// <see cref="CreateRun"/> checks every field against the model, the data and each other and builds the library's
/// run options; <see cref="TrainingWorkflow.RunAsync"/> does everything in one call.
/// </summary>
public sealed class TrainingConfiguration
{
    private TrainingConfiguration(string path, TrainingConfigFile file, string text) => (Path, File, Text) = (path, file, text);

    /// <summary>The file it was read from; relative paths inside it are relative to its folder.</summary>
    public string Path { get; }

    /// <summary>Its fields.</summary>
    public TrainingConfigFile File { get; }

    /// <summary>Its text, recorded in every checkpoint.</summary>
    public string Text { get; }

    /// <summary>Steps of every stage together.</summary>
    public long TotalSteps => File.Stages.Sum(s => s.Steps);

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="TrainingConfigException">The file is missing, not YAML, has an unknown field, or a value of the wrong type (the message names the file and field).</exception>
    public static TrainingConfiguration Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = TrainingConfigFile.Load(path, out string text);
        return new TrainingConfiguration(path, file, text);
    }

    /// <summary>Checks every field and builds the run's options (with the MiniLM encoder when captions condition the model).</summary>
    /// <param name="outputFolder">Where checkpoints and loss.csv go.</param>
    /// <param name="device">Where the model and batches live (default: the CPU).</param>
    /// <param name="seed">Replaces the configuration's seed (an experiment trains one configuration under several seeds); the
    /// checkpoints' recorded configuration says so.</param>
    /// <param name="memoryLimitBytes">Most bytes a stage's training state may need (see
    /// <see cref="TrainingWorkflowOptions.MemoryLimitBytes"/>); null: the machine's memory on the CPU, no limit elsewhere.</param>
    /// <returns>The options and what they hold on to; dispose it after the run.</returns>
    /// <exception cref="TrainingConfigException">A field is invalid, contradicts another or does not fit the model (the
    /// message names it), or a stage's model needs more memory than the limit.</exception>
    public TrainingRunSetup CreateRun(string outputFolder, Device? device = null, ulong? seed = null, long? memoryLimitBytes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        return TrainingSetup.Create(this, outputFolder, seed, device, memoryLimitBytes);
    }
}
