namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// A token lattice ready for the shortest-path search: out-edges of each node stored contiguously, each node's in
/// the order the edges were added (that order breaks ties between equally cheap paths).
/// </summary>
internal sealed class LatticeGraph
{
    private readonly int[] _outStart;

    private LatticeGraph(int[] outStart, int[] targets, int[] labels, int start, int final)
    {
        _outStart = outStart;
        Targets = targets;
        Labels = labels;
        Start = start;
        Final = final;
    }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => _outStart.Length - 1;

    /// <summary>The node segmentations start at.</summary>
    public int Start { get; }

    /// <summary>The node segmentations end at.</summary>
    public int Final { get; }

    /// <summary>Target node of each edge.</summary>
    public int[] Targets { get; }

    /// <summary>Piece id of each edge.</summary>
    public int[] Labels { get; }

    /// <summary>The out-edges of <paramref name="node"/>: edge indices [start, end).</summary>
    public (int Start, int End) OutEdges(int node) => (_outStart[node], _outStart[node + 1]);

    /// <summary>Groups edges given in insertion order by source node, keeping their order within each node.</summary>
    public static LatticeGraph FromEdges(int nodeCount, List<int> from, List<int> to, List<int> labels, int start, int final)
    {
        var outStart = new int[nodeCount + 1];
        foreach (var source in from)
        {
            outStart[source + 1]++;
        }
        for (var node = 0; node < nodeCount; node++)
        {
            outStart[node + 1] += outStart[node];
        }
        var fill = outStart[..^1];
        var targets = new int[from.Count];
        var edgeLabels = new int[from.Count];
        for (var e = 0; e < from.Count; e++)
        {
            var slot = fill[from[e]]++;
            targets[slot] = to[e];
            edgeLabels[slot] = labels[e];
        }
        return new LatticeGraph(outStart, targets, edgeLabels, start, final);
    }
}
