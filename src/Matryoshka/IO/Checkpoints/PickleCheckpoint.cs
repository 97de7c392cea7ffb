using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Loads the tensors of any file written by <c>torch.save</c> that holds a dict of tensors: a plain
/// <c>state_dict</c>, or a dict with a <c>state_dict</c> entry (as ml-mdm's trainer writes). Both the
/// zip format (PyTorch 1.6 and later) and the legacy format are read, with a restricted unpickler that
/// never runs code; see <see cref="MlMdmCheckpoint"/> for the metadata as well. <see cref="Save"/> writes such a file.
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

    /// <summary>
    /// Writes what <c>torch.save({"state_dict": OrderedDict(stateDict), **items})</c> writes in PyTorch's zip format
    /// (the layout of ml-mdm's checkpoints): the tensors in the given order, each with its dtype, shape and values and
    /// its own storage; the pickle names only globals <c>torch.load(path, weights_only=True)</c> accepts, from
    /// PyTorch 1.13 on. The file is written under a temporary name and moved into place, so a failure or a
    /// cancellation never leaves a partial file at <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The file to write (replaced if it exists).</param>
    /// <param name="stateDict">The tensors by key, in order (any device; float32, float16, bfloat16, float64, int64, int32, int16, int8, uint8 or bool).</param>
    /// <param name="items">Further top-level entries, e.g. <c>batch_num</c>: bool, int, long or string values (floats would not load under
    /// PyTorch 1.13's <c>weights_only=True</c>).</param>
    /// <param name="progress">Told after each tensor.</param>
    /// <param name="cancellationToken">Checked between tensors.</param>
    /// <exception cref="CheckpointExportException">A tensor's dtype has no torch storage type, or the file would exceed 4 GiB.</exception>
    /// <exception cref="ArgumentException">A key repeats, or an item is not a bool, int, long or string.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> stateDict,
        IEnumerable<KeyValuePair<string, object>>? items = null, IProgress<CheckpointWriteProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(stateDict);
        var tensors = stateDict.ToList();
        var entries = (items ?? []).ToList();
        var keys = tensors.Select(p => p.Key).ToList();
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count) throw new ArgumentException("A state_dict key repeats.", nameof(stateDict));
        if (entries.Any(p => p.Key == "state_dict") || entries.DistinctBy(p => p.Key, StringComparer.Ordinal).Count() != entries.Count)
            throw new ArgumentException("Item keys must be distinct and not 'state_dict' (the tensors' entry).", nameof(items));
        TorchCheckpointWriter.Save(path, tensors, entries, progress, cancellationToken);
    }
}
