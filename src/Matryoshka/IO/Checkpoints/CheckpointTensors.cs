using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Turns validated tensor descriptions into TorchSharp tensors: each root storage is read once into a
/// tensor, every tensor using it is taken from it with <c>as_strided</c>, and the storage is released
/// before the next one is read.
/// </summary>
internal static class CheckpointTensors
{
    /// <summary>
    /// Copies (partial or strided views of a storage) may total at most this many times the bytes of
    /// the storages read; tensors covering a whole storage share it and copy nothing.
    /// </summary>
    private const long CopyBudgetFactor = 4;

    public static OrderedDictionary<string, torch.Tensor> Build(
        IReadOnlyList<KeyValuePair<string, PickledTensor>> tensors, IStorageSource source, string filePath)
    {
        var built = new torch.Tensor?[tensors.Count];
        try
        {
            long storageBytes = 0;
            long copiedBytes = 0;
            var groups = Enumerable.Range(0, tensors.Count).GroupBy(i => tensors[i].Value.Storage.RootKey, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                using var scope = torch.NewDisposeScope();
                var root = tensors[group.First()].Value.Storage;
                var storage = torch.empty([root.RootElementCount], root.ScalarType, torch.CPU);
                source.Fill(root, storage);
                storageBytes += root.RootElementCount * StorageElements.Size(root.ScalarType);
                foreach (var index in group)
                {
                    var (name, description) = tensors[index];
                    var tensor = Take(storage, description, ref copiedBytes);
                    if (copiedBytes > CopyBudgetFactor * storageBytes)
                    {
                        throw new CheckpointFormatException(filePath,
                            $"tensor '{name}': the tensors copy more than {CopyBudgetFactor} times the bytes of their storages " +
                            "(many overlapping views of the same data)");
                    }
                    built[index] = tensor.MoveToOuterDisposeScope();
                }
            }
            var result = new OrderedDictionary<string, torch.Tensor>(tensors.Count, StringComparer.Ordinal);
            for (var i = 0; i < tensors.Count; i++)
            {
                result.Add(tensors[i].Key, built[i]!);
            }
            return result;
        }
        catch
        {
            foreach (var tensor in built)
            {
                tensor?.Dispose();
            }
            throw;
        }
    }

    private static torch.Tensor Take(torch.Tensor storage, PickledTensor description, ref long copiedBytes)
    {
        var offset = description.Storage.ViewElementOffset + description.StorageOffset;
        var view = storage.as_strided(description.Size, description.Stride, offset);
        var coversStorage = offset == 0 && description.ElementCount == description.Storage.RootElementCount;
        if (coversStorage && view.is_contiguous())
        {
            return view;
        }
        // A copy, so that a small tensor never keeps a large storage alive.
        copiedBytes += description.ElementCount * StorageElements.Size(description.Storage.ScalarType);
        return view.is_contiguous() ? view.clone() : view.contiguous();
    }
}
