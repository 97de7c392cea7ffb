using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A storage named by a persistent id: which stored bytes (the root storage <see cref="RootKey"/>) and
/// which part of them, in elements of <see cref="ScalarType"/>. Zip checkpoints always use the whole
/// root storage; legacy ones may name a view of it.
/// </summary>
internal sealed record PickledStorage(
    string RootKey,
    torch.ScalarType ScalarType,
    long RootElementCount,
    long ViewElementOffset,
    long ViewElementCount,
    string Location);
