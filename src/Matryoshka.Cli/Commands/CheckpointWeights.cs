using Matryoshka.Training.Checkpoints;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>Model weights out of a training checkpoint, for the commands that take one (grow, convert).</summary>
internal static class CheckpointWeights
{
    /// <summary>The checkpoint's EMA weights (or, with <paramref name="raw"/>, its trained weights), verified against the record's SHA-256.</summary>
    /// <exception cref="TrainingCheckpointException">The record or its tensors are missing, corrupt or do not match.</exception>
    public static Dictionary<string, Tensor> Read(string recordPath, bool raw)
    {
        var checkpoint = TrainingCheckpointStore.Load(recordPath); // its tensors belong to the caller's dispose scope
        return raw ? checkpoint.ModelWeights() : checkpoint.EmaWeights();
    }
}
