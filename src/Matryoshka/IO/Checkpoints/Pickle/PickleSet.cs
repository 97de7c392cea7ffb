namespace Matryoshka.IO.Checkpoints;

/// <summary>A Python set or frozenset, kept as its items in pickle order (sets are rare in checkpoints).</summary>
internal sealed class PickleSet
{
    public List<object?> Items { get; } = [];
}
