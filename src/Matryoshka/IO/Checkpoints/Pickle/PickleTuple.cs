namespace Matryoshka.IO.Checkpoints;

/// <summary>A Python tuple: immutable once built.</summary>
internal sealed class PickleTuple(object?[] items)
{
    public static PickleTuple Empty { get; } = new([]);

    public object?[] Items { get; } = items;

    public int Count => Items.Length;

    public object? this[int index] => Items[index];
}
