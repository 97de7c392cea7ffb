using Matryoshka.IO.Weights;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Training.Checkpoints;

/// <summary>Model weights out of a training checkpoint, or out of a weights file, for the workflows that take either (growing, converting).</summary>
public static class CheckpointWeights
{
    /// <summary>
    /// The checkpoint's EMA or trained weights as a model state dict, verified against the record's SHA-256; the
    /// checkpoint's other tensors (optimizer state) are freed. The caller owns the tensors, on the CPU.
    /// </summary>
    /// <param name="recordPath">The checkpoint's JSON record.</param>
    /// <param name="kind">The EMA or the trained weights.</param>
    /// <param name="initialWeights">For a compact checkpoint: a copy of the weights file its run started from, instead
    /// of the path the record names (e.g. on another machine).</param>
    /// <exception cref="TrainingCheckpointException">The record or its tensors are missing, corrupt or do not match.</exception>
    public static Dictionary<string, Tensor> Load(string recordPath, CheckpointWeightsKind kind = CheckpointWeightsKind.Ema, string? initialWeights = null)
    {
        var checkpoint = TrainingCheckpointStore.Load(recordPath, initialWeights);
        var weights = kind == CheckpointWeightsKind.Trained ? checkpoint.ModelWeights() : checkpoint.EmaWeights();
        var kept = new HashSet<Tensor>(weights.Values, ReferenceEqualityComparer.Instance);
        foreach (var tensor in checkpoint.Tensors.Values.Where(t => !kept.Contains(t))) tensor.Dispose();
        return weights;
    }

    /// <summary>
    /// A model's weights from <paramref name="path"/>: a training checkpoint's record (<c>.json</c>, see
    /// <see cref="Load"/>) or a safetensors file. The caller owns the tensors, on the CPU.
    /// </summary>
    /// <exception cref="TrainingCheckpointException">The checkpoint is missing, corrupt or does not match its record.</exception>
    /// <exception cref="SafetensorsFormatException">The weights file is not a valid safetensors file.</exception>
    /// <exception cref="FileNotFoundException">The weights file does not exist.</exception>
    public static Dictionary<string, Tensor> LoadFile(string path, CheckpointWeightsKind kind = CheckpointWeightsKind.Ema, string? initialWeights = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return IsCheckpointRecord(path) ? Load(path, kind, initialWeights) : SafetensorsReader.Load(path);
    }

    /// <summary>Whether <paramref name="path"/> names a training checkpoint's record (a <c>.json</c> file) rather than a weights file.</summary>
    public static bool IsCheckpointRecord(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
