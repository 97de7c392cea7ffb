namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// Every way to cut a byte string into vocabulary pieces, as a graph: nodes are token boundaries, an edge is one
/// piece. Built left to right the way mlx-data's <c>core::tokenize</c> builds it (with <c>ignore_unk</c>), because
/// the order of nodes and edges decides which of two equally cheap segmentations wins.
/// </summary>
/// <remarks>
/// A hypothesis is a partial match (a trie node) that started at some boundary. At each byte every hypothesis is
/// extended; those reaching the end of a piece all end at one new boundary node (edges added from the oldest
/// hypothesis to the newest), and those that can still grow carry on behind the new boundary's own fresh hypothesis.
/// When no hypothesis can take the byte, all are abandoned, the search restarts from the last boundary created, and
/// the byte is dropped; so an unknown character can also drop the bytes of a longer piece it interrupted.
/// The segmentation always ends at the last boundary created.
/// </remarks>
internal sealed class TokenLattice
{
    // In-edges of node n are the contiguous edge ids [_inStart[n], _inStart[n + 1]): all edges into a boundary are
    // added in the step that creates it. Node 0 (the start) has none.
    private readonly List<int> _inStart;
    private readonly List<int> _edgeFrom;
    private readonly List<int> _edgeLabel;

    private TokenLattice(List<int> inStart, List<int> edgeFrom, List<int> edgeLabel, int final)
    {
        _inStart = inStart;
        _edgeFrom = edgeFrom;
        _edgeLabel = edgeLabel;
        Final = final;
    }

    /// <summary>Number of boundary nodes; node 0 is the start.</summary>
    public int NodeCount => _inStart.Count - 1;

    /// <summary>The node every segmentation ends at.</summary>
    public int Final { get; }

    /// <summary>Builds the lattice of <paramref name="input"/> over <paramref name="trie"/>, dropping what no piece covers.</summary>
    public static TokenLattice Build(ByteTrie trie, ReadOnlySpan<byte> input)
    {
        var inStart = new List<int> { 0, 0 };
        var edgeFrom = new List<int>();
        var edgeLabel = new List<int>();

        // Each live boundary has at most one hypothesis, and only boundaries of the last MaxKeyLength bytes are live.
        var capacity = trie.MaxKeyLength + 2;
        var hypNode = new int[capacity];
        var hypBoundary = new int[capacity];
        var nextNode = new int[capacity];
        var nextBoundary = new int[capacity];
        var endedBoundary = new int[capacity];
        var endedPiece = new int[capacity];

        var lastBoundary = 0;
        hypNode[0] = ByteTrie.Root;
        hypBoundary[0] = lastBoundary;
        var hypCount = 1;

        foreach (var value in input)
        {
            var ended = 0;
            var growing = 1; // slot 0 is kept for the new boundary's own hypothesis
            for (var h = 0; h < hypCount; h++)
            {
                var child = trie.Child(hypNode[h], value);
                if (child < 0)
                {
                    continue;
                }
                var piece = trie.KeyId(child);
                if (piece >= 0)
                {
                    endedBoundary[ended] = hypBoundary[h];
                    endedPiece[ended] = piece;
                    ended++;
                }
                if (trie.HasChildren(child))
                {
                    nextNode[growing] = child;
                    nextBoundary[growing] = hypBoundary[h];
                    growing++;
                }
            }

            if (ended == 0 && growing == 1)
            {
                // Nothing takes this byte: drop it and every partial match, restart from the last boundary.
                hypNode[0] = ByteTrie.Root;
                hypBoundary[0] = lastBoundary;
                hypCount = 1;
                continue;
            }

            var first = 1;
            if (ended > 0)
            {
                var boundary = inStart.Count - 1;
                for (var e = ended - 1; e >= 0; e--)
                {
                    edgeFrom.Add(endedBoundary[e]);
                    edgeLabel.Add(endedPiece[e]);
                }
                inStart.Add(edgeFrom.Count);
                lastBoundary = boundary;
                nextNode[0] = ByteTrie.Root;
                nextBoundary[0] = boundary;
                first = 0;
            }

            hypCount = growing - first;
            Array.Copy(nextNode, first, hypNode, 0, hypCount);
            Array.Copy(nextBoundary, first, hypBoundary, 0, hypCount);
        }

        return new TokenLattice(inStart, edgeFrom, edgeLabel, lastBoundary);
    }

    /// <summary>
    /// The part of the lattice that reaches <see cref="Final"/>, renumbered the way mlx-data does it: a breadth-first
    /// walk backwards from the final node numbers nodes when first seen and adds each visited node's in-edges in order.
    /// </summary>
    public LatticeGraph ReachingFinal()
    {
        var nodeCount = NodeCount;
        var newId = new int[nodeCount];
        Array.Fill(newId, -1);
        var visited = new bool[nodeCount];
        var from = new List<int>();
        var to = new List<int>();
        var labels = new List<int>();
        var next = 0;

        var frontier = new List<int> { Final };
        var following = new List<int>();
        while (frontier.Count > 0)
        {
            following.Clear();
            foreach (var node in frontier)
            {
                if (visited[node])
                {
                    continue;
                }
                visited[node] = true;
                if (newId[node] < 0)
                {
                    newId[node] = next++;
                }
                for (var e = _inStart[node]; e < _inStart[node + 1]; e++)
                {
                    var source = _edgeFrom[e];
                    if (newId[source] < 0)
                    {
                        newId[source] = next++;
                    }
                    from.Add(newId[source]);
                    to.Add(newId[node]);
                    labels.Add(_edgeLabel[e]);
                    following.Add(source);
                }
            }
            (frontier, following) = (following, frontier);
        }

        return LatticeGraph.FromEdges(next, from, to, labels, start: newId[0], final: newId[Final]);
    }
}
