namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A tensor as <c>torch._utils._rebuild_tensor_v2</c> describes it, already checked to lie inside its
/// storage: it becomes a TorchSharp tensor only when its storage's bytes are read.
/// </summary>
internal sealed class PickledTensor(PickledStorage storage, long storageOffset, long[] size, long[] stride)
{
    public PickledStorage Storage { get; } = storage;

    /// <summary>Offset in elements from the start of the storage view.</summary>
    public long StorageOffset { get; } = storageOffset;

    public long[] Size { get; } = size;

    public long[] Stride { get; } = stride;

    public long ElementCount { get; init; }

    public bool RequiresGrad { get; set; }
}
