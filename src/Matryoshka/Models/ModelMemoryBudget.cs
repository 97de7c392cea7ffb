using System.Globalization;
using static TorchSharp.torch;

namespace Matryoshka.Models;

/// <summary>
/// Refuses a model whose weights cannot fit in memory before it is built: the sizes come from
/// <see cref="ModelSummary.Of"/>, which builds the model on the meta device and allocates no storage. Commands that
/// build a model from a config (generate, grow, export) call it first, so an absurd config is a clear refusal instead
/// of an allocator failure or a machine driven into swap.
/// </summary>
public static class ModelMemoryBudget
{
    /// <summary>Checks that the weights of <paramref name="config"/> in <paramref name="dtype"/> fit in <paramref name="limitBytes"/>.</summary>
    /// <param name="config">The model, as read from <paramref name="configPath"/>.</param>
    /// <param name="configPath">The config file, named in the refusal.</param>
    /// <param name="dtype">The type the weights are built in.</param>
    /// <param name="limitBytes">Most bytes the weights may take; null: <see cref="TrainingMemory.MachineBytes"/>.</param>
    /// <returns>The model's summary, for callers that need its sizes.</returns>
    /// <exception cref="ModelMemoryException">The weights need more than the limit, or their size does not fit in 64 bits.</exception>
    public static ModelSummary Check(ModelConfig config, string configPath, ScalarType dtype = ScalarType.Float32, long? limitBytes = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        ModelSummary summary;
        // The file was validated when it was read, so what remains to fail here is the size itself.
        try { summary = ModelSummary.Of(config); }
        catch (ModelConfigurationException e) { throw new ModelMemoryException(configPath, $"the model cannot be sized: {e.Message}", e); }
        long bytes = summary.WeightBytes(dtype);
        long limit = limitBytes ?? TrainingMemory.MachineBytes;
        if (bytes > limit)
            throw new ModelMemoryException(configPath, string.Create(CultureInfo.InvariantCulture,
                $"the model has {summary.TotalParameters:N0} parameters; its {dtype} weights alone need {Size(bytes)}, more than the " +
                $"{Size(limit)} limit (this machine's memory unless set), so it is refused before anything is allocated."));
        return summary;
    }

    /// <summary>"12.3 GiB", "4.5 MiB" or "512 bytes".</summary>
    internal static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB")
        : bytes >= 1L << 20 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
