using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;
using TorchSharp;

namespace Matryoshka.Training.Checkpoints;

/// <summary>The weights an export reads: a safetensors file, or a training checkpoint's EMA (or trained) weights.</summary>
internal sealed class ExportSource : IDisposable
{
    private readonly IDisposable? _owner;

    private ExportSource(Dictionary<string, torch.Tensor> tensors, string weights, long step, IDisposable? owner)
    {
        Tensors = tensors;
        Weights = weights;
        Step = step;
        _owner = owner;
    }

    /// <summary>The model weights by ml-mdm key.</summary>
    public Dictionary<string, torch.Tensor> Tensors { get; }

    /// <summary><c>ema</c>, <c>trained</c> or <c>weights file</c>.</summary>
    public string Weights { get; }

    /// <summary>The training step the weights were saved at (0 for a weights file).</summary>
    public long Step { get; }

    /// <exception cref="CheckpointExportException">The file is neither kind.</exception>
    /// <exception cref="MatryoshkaException">The file is malformed (a safetensors or training checkpoint error).</exception>
    public static ExportSource Read(string path, CheckpointWeightsKind kind, string? initialWeights)
    {
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            return new ExportSource(SafetensorsReader.Load(path), "weights file", 0, owner: null);
        }
        if (CheckpointWeights.IsCheckpointRecord(path))
        {
            // The store, not CheckpointWeights.Load: the step is wanted too.
            var checkpoint = TrainingCheckpointStore.Load(path, initialWeights);
            var trained = kind == CheckpointWeightsKind.Trained;
            return new ExportSource(trained ? checkpoint.ModelWeights() : checkpoint.EmaWeights(), trained ? "trained" : "ema", checkpoint.Info.Step, checkpoint);
        }
        throw new CheckpointExportException(path, "is neither a .safetensors weights file nor a training checkpoint record (.json)");
    }

    public void Dispose()
    {
        if (_owner is not null)
        {
            _owner.Dispose();
            return;
        }
        foreach (var tensor in Tensors.Values) tensor.Dispose();
    }
}
