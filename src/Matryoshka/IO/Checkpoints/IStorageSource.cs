using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>Where a checkpoint format keeps the bytes of its root storages.</summary>
internal interface IStorageSource
{
    /// <summary>
    /// Fills <paramref name="destination"/> (contiguous, CPU, <see cref="PickledStorage.RootElementCount"/>
    /// elements of <see cref="PickledStorage.ScalarType"/>) with the bytes of root storage <paramref name="root"/>.
    /// </summary>
    void Fill(PickledStorage root, torch.Tensor destination);
}
