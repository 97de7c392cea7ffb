namespace Matryoshka.Tests;

/// <summary>Collects every report at once, on the reporting thread (<see cref="Progress{T}"/> would post them later).</summary>
public sealed class ListProgress<T> : IProgress<T>
{
    private readonly List<T> _items = new();

    public IReadOnlyList<T> Items { get { lock (_items) return _items.ToArray(); } }

    public void Report(T value) { lock (_items) _items.Add(value); }
}
