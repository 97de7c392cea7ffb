namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// An immutable trie over bytes: each node knows its children (sorted by byte, stored contiguously) and the id of the
/// key that ends there, if any. The root's children sit in a 256-entry table, the other nodes' in one shared array
/// searched linearly or by bisection. Built by <see cref="ByteTrieBuilder"/>.
/// </summary>
internal sealed class ByteTrie
{
    /// <summary>The root node: the empty prefix.</summary>
    public const int Root = 0;

    /// <summary>Children lists at most this long are scanned; longer ones are bisected.</summary>
    private const int LinearSearchLimit = 8;

    private readonly int[] _rootChildren;
    private readonly int[] _childStart;
    private readonly byte[] _childBytes;
    private readonly int[] _childNodes;
    private readonly int[] _keyIds;

    internal ByteTrie(int[] childStart, byte[] childBytes, int[] childNodes, int[] keyIds, int maxKeyLength)
    {
        _childStart = childStart;
        _childBytes = childBytes;
        _childNodes = childNodes;
        _keyIds = keyIds;
        MaxKeyLength = maxKeyLength;
        _rootChildren = new int[256];
        Array.Fill(_rootChildren, -1);
        for (var i = childStart[Root]; i < childStart[Root + 1]; i++)
        {
            _rootChildren[childBytes[i]] = childNodes[i];
        }
    }

    /// <summary>Number of nodes, the root included.</summary>
    public int NodeCount => _keyIds.Length;

    /// <summary>Length in bytes of the longest key.</summary>
    public int MaxKeyLength { get; }

    /// <summary>The child of <paramref name="node"/> along <paramref name="value"/>, or -1 when there is none.</summary>
    public int Child(int node, byte value)
    {
        if (node == Root)
        {
            return _rootChildren[value];
        }
        int start = _childStart[node], end = _childStart[node + 1];
        if (end - start <= LinearSearchLimit)
        {
            for (var i = start; i < end; i++)
            {
                if (_childBytes[i] == value)
                {
                    return _childNodes[i];
                }
            }
            return -1;
        }
        var found = _childBytes.AsSpan(start, end - start).BinarySearch(value);
        return found >= 0 ? _childNodes[start + found] : -1;
    }

    /// <summary>The id of the key ending at <paramref name="node"/>, or -1 when no key ends there.</summary>
    public int KeyId(int node) => _keyIds[node];

    /// <summary>Whether some longer key continues through <paramref name="node"/>.</summary>
    public bool HasChildren(int node) => _childStart[node + 1] > _childStart[node];

    /// <summary>The id of <paramref name="key"/> when it is a key of the trie, otherwise -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        var node = Root;
        foreach (var value in key)
        {
            node = Child(node, value);
            if (node < 0)
            {
                return -1;
            }
        }
        return _keyIds[node];
    }
}
