using Matryoshka.IO.Weights;
using static TorchSharp.torch;

namespace Matryoshka.Training.Checkpoints;

/// <summary>A verified checkpoint read back: its record, the trainer counters and the tensors (owned by this object).</summary>
public sealed class LoadedTrainingCheckpoint : IDisposable
{
    internal LoadedTrainingCheckpoint(string path, TrainingCheckpointInfo info, TrainerCounters counters, Dictionary<string, Tensor> tensors)
    {
        Path = path;
        Info = info;
        Counters = counters;
        Tensors = tensors;
    }

    /// <summary>The checkpoint's JSON record file.</summary>
    public string Path { get; }

    /// <summary>Where the run stood.</summary>
    public TrainingCheckpointInfo Info { get; }

    /// <summary>The trainer's counters.</summary>
    public TrainerCounters Counters { get; }

    /// <summary>The trainer's tensors by <see cref="TrainerState"/> name, on the CPU.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The EMA weights as a model state dict (the <c>ema.</c> entries without the prefix).</summary>
    public Dictionary<string, Tensor> EmaWeights() => Entries(TrainerState.EmaPrefix);

    /// <summary>The raw model weights as a model state dict.</summary>
    public Dictionary<string, Tensor> ModelWeights() => Entries(TrainerState.ModelPrefix);

    private Dictionary<string, Tensor> Entries(string prefix) => Tensors
        .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
        .ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values) tensor.Dispose();
    }
}
