using System.Collections.ObjectModel;
using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A checkpoint written by ml-mdm's trainer (<c>vis_model_XXXXXX.pth</c>, and Apple's released
/// <c>vis_model.pth</c> files): the model's state_dict with ml-mdm's key names, plus the training
/// metadata (<c>batch_num</c>, <c>loss</c>, … and the <c>args</c> namespace with the model and diffusion
/// configs) as inert data. A file that is a plain state_dict loads too, with empty metadata.
/// </summary>
/// <remarks>
/// The file is read with a restricted unpickler: only the globals a checkpoint legitimately uses are
/// accepted, torch's tensor rebuilders are interpreted by Matryoshka, ml-mdm's config classes become
/// <see cref="PickledObject"/> data, and nothing is ever imported or executed. The checkpoint owns its
/// tensors: <see cref="Dispose"/> disposes them all, so keep the checkpoint alive while they are used
/// (or copy the ones to keep). A surrounding dispose scope also takes them.
/// </remarks>
public sealed class MlMdmCheckpoint : IDisposable
{
    private readonly OrderedDictionary<string, torch.Tensor> _stateDict;

    private MlMdmCheckpoint(
        string sourcePath,
        CheckpointFormat format,
        OrderedDictionary<string, torch.Tensor> stateDict,
        IReadOnlyDictionary<string, object?> metadata)
    {
        SourcePath = sourcePath;
        Format = format;
        _stateDict = stateDict;
        StateDict = new ReadOnlyDictionary<string, torch.Tensor>(stateDict);
        Metadata = metadata;
    }

    /// <summary>The file the checkpoint was loaded from.</summary>
    public string SourcePath { get; }

    /// <summary>Which <c>torch.save</c> layout the file uses.</summary>
    public CheckpointFormat Format { get; }

    /// <summary>
    /// The model's tensors by ml-mdm key name, in the file's order, on the CPU with their saved dtypes
    /// and shapes, each contiguous (see <see cref="PickleCheckpoint.LoadTensors"/>).
    /// </summary>
    public IReadOnlyDictionary<string, torch.Tensor> StateDict { get; }

    /// <summary>
    /// Every top-level entry except <c>state_dict</c>, in file order, as inert values (see
    /// <see cref="PickledObject"/> for the types that occur). Empty for a plain state_dict file.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; }

    /// <summary>The training step the checkpoint was saved at (<c>batch_num</c>), when recorded.</summary>
    public long? BatchNumber => Metadata.GetValueOrDefault("batch_num") as long?;

    /// <summary>The training loss when saved (<c>loss</c>), when recorded.</summary>
    public double? Loss => Metadata.GetValueOrDefault("loss") switch
    {
        double value => value,
        long value => value,
        _ => null,
    };

    /// <summary>The training arguments (an <c>argparse.Namespace</c> holding ml-mdm's configs), when recorded.</summary>
    public PickledObject? Args => Metadata.GetValueOrDefault("args") as PickledObject;

    /// <summary>Loads the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="UnsafeCheckpointException">The pickle names a global no checkpoint needs (it is refused, never run).</exception>
    /// <exception cref="CheckpointFormatException">The file is malformed, truncated or holds no state_dict.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static MlMdmCheckpoint Load(string path, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        using var file = CheckpointFile.Open(path, options);
        var selection = StateDictSelection.From(file.Root, path);
        // Metadata first: a refusal there must not leave loaded tensors behind.
        var metadata = new PublicValueConverter(path, options.MaxNestingDepth).Dict(selection.OtherEntries, depth: 0);
        var tensors = file.LoadTensors(selection.Tensors);
        return new MlMdmCheckpoint(path, file.Format, tensors, metadata);
    }

    /// <summary>Disposes every tensor of <see cref="StateDict"/>.</summary>
    public void Dispose()
    {
        foreach (var tensor in _stateDict.Values)
        {
            tensor.Dispose();
        }
    }
}
