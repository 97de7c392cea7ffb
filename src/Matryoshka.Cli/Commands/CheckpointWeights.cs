using Matryoshka.Training.Checkpoints;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>Model weights out of a training checkpoint, for the commands that take one (grow, convert).</summary>
internal static class CheckpointWeights
{
    /// <summary>The checkpoint's EMA weights (or, with <paramref name="raw"/>, its trained weights), verified against the record's SHA-256.</summary>
    /// <param name="recordPath">The checkpoint's JSON record.</param>
    /// <param name="raw">The trained weights instead of the EMA.</param>
    /// <param name="initialWeights">For a compact checkpoint: a copy of the weights file its run started from, instead
    /// of the path the record names (e.g. on another machine).</param>
    /// <exception cref="TrainingCheckpointException">The record or its tensors are missing, corrupt or do not match.</exception>
    public static Dictionary<string, Tensor> Read(string recordPath, bool raw, string? initialWeights = null)
    {
        var checkpoint = TrainingCheckpointStore.Load(recordPath, initialWeights); // its tensors belong to the caller's dispose scope
        return raw ? checkpoint.ModelWeights() : checkpoint.EmaWeights();
    }
}
