namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// A binary min-heap of (distance, node) that reproduces the sift order of the GNU C++ library's
/// <c>std::priority_queue</c> (<c>push_heap</c>, and <c>pop_heap</c> with its sift-to-leaf then sift-up), so
/// entries with equal distances come out in the same order as in mlx-data's Dijkstra search.
/// </summary>
internal sealed class StdMinHeap
{
    private (double Distance, int Node)[] _items = new (double, int)[16];

    /// <summary>Number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>Adds an entry.</summary>
    public void Push(double distance, int node)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        SiftUp(Count, 0, (distance, node));
        Count++;
    }

    /// <summary>Removes and returns the node of an entry with the smallest distance.</summary>
    public int Pop()
    {
        var top = _items[0];
        var last = Count - 1;
        if (last > 0)
        {
            var moved = _items[last];
            _items[last] = top;
            SiftDownThenUp(last, moved);
        }
        Count = last;
        return top.Node;
    }

    // "a sorts after b" in the max-heap sense of the C++ comparator (a.dist > b.dist).
    private static bool Below((double Distance, int Node) a, (double Distance, int Node) b) => a.Distance > b.Distance;

    private void SiftUp(int hole, int top, (double Distance, int Node) value)
    {
        var parent = (hole - 1) / 2;
        while (hole > top && Below(_items[parent], value))
        {
            _items[hole] = _items[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        _items[hole] = value;
    }

    // Moves the hole at the root down to a leaf along the smaller children, then sifts the value up from there.
    private void SiftDownThenUp(int length, (double Distance, int Node) value)
    {
        var hole = 0;
        var child = 0;
        while (child < (length - 1) / 2)
        {
            child = 2 * (child + 1);
            if (Below(_items[child], _items[child - 1]))
            {
                child--;
            }
            _items[hole] = _items[child];
            hole = child;
        }
        if ((length & 1) == 0 && child == (length - 2) / 2)
        {
            child = 2 * (child + 1);
            _items[hole] = _items[child - 1];
            hole = child - 1;
        }
        SiftUp(hole, 0, value);
    }
}
