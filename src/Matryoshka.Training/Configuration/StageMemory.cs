using System.Globalization;
using Matryoshka.Models;
using Matryoshka.Training.Runs;
using static TorchSharp.torch;

namespace Matryoshka.Training.Configuration;

/// <summary>
/// Estimates each stage's peak training memory and refuses a run that cannot fit, before the first stage allocates
/// anything: the training state exactly, the activations at the configured batch size as an estimate.
/// </summary>
internal static class StageMemory
{
    public static IReadOnlyList<TrainingMemoryEstimate> Check(string configPath, IReadOnlyList<TrainingStage> stages, ScalarType dtype,
        int batchSize, int textTokens, long? limitBytes)
    {
        if (batchSize < 1) throw new TrainingConfigException(configPath, $"data.batch_size must be at least 1; got {batchSize}.");
        var estimates = new TrainingMemoryEstimate[stages.Count];
        for (int i = 0; i < stages.Count; i++)
        {
            TrainingMemoryEstimate estimate;
            try
            {
                estimate = TrainingMemory.Estimate(ModelSummary.Of(stages[i].Model), batchSize, dtype, textTokens);
                _ = estimate.PeakBytes;
            }
            catch (Exception e) when (e is ModelConfigurationException or OverflowException)
            {
                throw new TrainingConfigException(configPath, $"stages[{i}]: the model cannot be sized: {e.Message}", e);
            }
            if (limitBytes is not { } limit) { estimates[i] = estimate; continue; }
            if (estimate.StateBytes > limit)
                throw new TrainingConfigException(configPath, string.Create(CultureInfo.InvariantCulture,
                    $"stages[{i}]: its model has {estimate.Parameters:N0} parameters; weights, gradients, AdamW moments and EMA alone need " +
                    $"{GiB(estimate.StateBytes)} GiB, more than the {GiB(limit)} GiB limit (this machine's memory unless set)."));
            if (estimate.PeakBytes > limit)
                throw new TrainingConfigException(configPath, string.Create(CultureInfo.InvariantCulture,
                    $"stages[{i}]: training it at batch size {batchSize} needs an estimated {GiB(estimate.PeakBytes)} GiB: {GiB(estimate.StateBytes)} GiB " +
                    $"of weights, gradients, AdamW moments and EMA plus an estimated {GiB(estimate.ActivationBytes)} GiB of activations, more than the " +
                    $"{GiB(limit)} GiB limit (this machine's memory unless set). The activations are an estimate (docs/training.md); lower " +
                    $"data.batch_size, and raise optimizer.gradient_accumulation to keep the effective batch."));
            estimates[i] = estimate;
        }
        return estimates;
    }

    /// <summary>Gibibytes with two decimals.</summary>
    public static string GiB(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("F2", CultureInfo.InvariantCulture);
}
