using System.Globalization;
using Matryoshka.Models;
using Matryoshka.Training.Runs;
using static TorchSharp.torch;

namespace Matryoshka.Training.Configuration;

/// <summary>Refuses a run whose stage models cannot fit in memory, before the first stage allocates anything.</summary>
internal static class StageMemory
{
    public static void Check(string configPath, IReadOnlyList<TrainingStage> stages, ScalarType dtype, long? limitBytes)
    {
        for (int i = 0; i < stages.Count; i++)
        {
            long bytes;
            long parameters;
            try
            {
                var summary = ModelSummary.Of(stages[i].Model);
                parameters = summary.TotalParameters;
                bytes = TrainingMemory.StateBytes(summary, dtype);
            }
            catch (Exception e) when (e is ModelConfigurationException or OverflowException)
            {
                throw new TrainingConfigException(configPath, $"stages[{i}]: the model cannot be sized: {e.Message}", e);
            }
            if (limitBytes is { } limit && bytes > limit)
                throw new TrainingConfigException(configPath, string.Create(CultureInfo.InvariantCulture,
                    $"stages[{i}]: its model has {parameters:N0} parameters; weights, gradients, AdamW moments and EMA alone need " +
                    $"{bytes / (1024.0 * 1024 * 1024):F1} GiB, more than the {limit / (1024.0 * 1024 * 1024):F1} GiB limit (this machine's memory unless set)."));
        }
    }
}
