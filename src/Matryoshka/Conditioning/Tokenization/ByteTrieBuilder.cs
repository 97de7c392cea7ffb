namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// Collects byte keys with their ids, then freezes them into a <see cref="ByteTrie"/>. A key inserted twice keeps its
/// first id (the caller decides whether that is an error). The empty key is allowed and ends at the root.
/// </summary>
internal sealed class ByteTrieBuilder
{
    private readonly Dictionary<long, int> _children = [];
    private readonly List<int> _keyIds = [-1];
    private int _maxKeyLength;

    /// <summary>Number of nodes so far, the root included.</summary>
    public int NodeCount => _keyIds.Count;

    /// <summary>
    /// Adds <paramref name="key"/> with <paramref name="id"/> (≥ 0). Returns -1 when the key is new, or the id it
    /// already had, in which case nothing changes.
    /// </summary>
    public int Insert(ReadOnlySpan<byte> key, int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        var node = ByteTrie.Root;
        foreach (var value in key)
        {
            var edge = EdgeKey(node, value);
            if (!_children.TryGetValue(edge, out var child))
            {
                child = _keyIds.Count;
                _keyIds.Add(-1);
                _children.Add(edge, child);
            }
            node = child;
        }
        if (_keyIds[node] >= 0)
        {
            return _keyIds[node];
        }
        _keyIds[node] = id;
        _maxKeyLength = Math.Max(_maxKeyLength, key.Length);
        return -1;
    }

    /// <summary>Freezes the keys inserted so far into an immutable trie.</summary>
    public ByteTrie Build()
    {
        // Sorting the (parent, byte) edge keys groups each node's children together, in byte order.
        var edges = new long[_children.Count];
        var targets = new int[_children.Count];
        var i = 0;
        foreach (var (edge, child) in _children)
        {
            edges[i] = edge;
            targets[i] = child;
            i++;
        }
        Array.Sort(edges, targets);

        var nodeCount = _keyIds.Count;
        var childStart = new int[nodeCount + 1];
        var childBytes = new byte[edges.Length];
        foreach (var edge in edges)
        {
            childStart[(int)(edge >> 8) + 1]++;
        }
        for (var node = 0; node < nodeCount; node++)
        {
            childStart[node + 1] += childStart[node];
        }
        for (var e = 0; e < edges.Length; e++)
        {
            childBytes[e] = (byte)(edges[e] & 0xFF);
        }
        return new ByteTrie(childStart, childBytes, targets, [.. _keyIds], _maxKeyLength);
    }

    private static long EdgeKey(int node, byte value) => ((long)node << 8) | value;
}
