using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A tensor found in a checkpoint's metadata rather than its state_dict (for example inside the args).
/// Its data is not loaded; only its type and shape are reported.
/// </summary>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions.</param>
public sealed record TensorPlaceholder(torch.ScalarType DType, IReadOnlyList<long> Shape)
{
    /// <summary>For example <c>tensor(Float32, [64, 16])</c>.</summary>
    public override string ToString() => $"tensor({DType}, [{string.Join(", ", Shape)}])";
}
