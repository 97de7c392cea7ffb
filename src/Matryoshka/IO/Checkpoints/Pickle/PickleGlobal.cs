using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>A global the allow-list accepted: a name with its meaning, never a loaded type or function.</summary>
internal sealed record PickleGlobal(string Module, string Name, PickleGlobalKind Kind, torch.ScalarType StorageScalarType = default)
{
    public string FullName => $"{Module}.{Name}";
}
