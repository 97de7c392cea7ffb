using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Loads the tensors of any file written by <c>torch.save</c> that holds a dict of tensors: a plain
/// <c>state_dict</c>, or a dict with a <c>state_dict</c> entry (as ml-mdm's trainer writes). Both the
/// zip format (PyTorch 1.6 and later) and the legacy format are read, with a restricted unpickler that
/// never runs code; see <see cref="MlMdmCheckpoint"/> for the metadata as well.
/// </summary>
public static class PickleCheckpoint
{
    /// <summary>
    /// Loads the state_dict tensors of the checkpoint at <paramref name="path"/>, in the file's key
    /// order, on the CPU, with their saved dtypes, shapes and values (each contiguous). Tensors saved as
    /// the same whole storage (tied weights) share memory, as after <c>torch.load</c>. The caller owns
    /// the tensors and should dispose them (a surrounding dispose scope takes them).
    /// </summary>
    /// <exception cref="UnsafeCheckpointException">The pickle names a global no checkpoint needs (it is refused, never run).</exception>
    /// <exception cref="CheckpointFormatException">The file is malformed, truncated or not a dict of tensors.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static OrderedDictionary<string, torch.Tensor> LoadTensors(string path, CheckpointReadOptions? options = null)
    {
        using var file = CheckpointFile.Open(path, options);
        var selection = StateDictSelection.From(file.Root, path);
        return file.LoadTensors(selection.Tensors);
    }
}
