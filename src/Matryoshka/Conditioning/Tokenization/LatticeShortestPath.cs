namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// The cheapest path through a <see cref="LatticeGraph"/> from start to final node, where an edge costs its piece's
/// cost: Dijkstra's search as mlx-data runs it (costs are ≥ 0). Distances add up along the path from the start in
/// double precision, a node keeps the first predecessor that reached its final distance (strictly smaller only
/// replaces), and the queue pops equal distances in <see cref="StdMinHeap"/> order, so ties resolve as upstream.
/// </summary>
internal static class LatticeShortestPath
{
    /// <summary>The piece ids along the cheapest path (empty when start and final coincide).</summary>
    public static int[] Find(LatticeGraph graph, ReadOnlySpan<double> costs)
    {
        var nodeCount = graph.NodeCount;
        var distance = new double[nodeCount];
        var viaEdge = new int[nodeCount];
        var previous = new int[nodeCount];
        Array.Fill(distance, double.MaxValue);
        Array.Fill(viaEdge, -1);
        distance[graph.Start] = 0.0;
        previous[graph.Start] = -1;

        var targets = graph.Targets;
        var labels = graph.Labels;
        var queue = new StdMinHeap();
        queue.Push(0.0, graph.Start);
        while (queue.Count > 0)
        {
            var node = queue.Pop();
            var (first, end) = graph.OutEdges(node);
            for (var e = first; e < end; e++)
            {
                var target = targets[e];
                var candidate = distance[node] + costs[labels[e]];
                if (distance[target] > candidate)
                {
                    distance[target] = candidate;
                    previous[target] = node;
                    viaEdge[target] = e;
                    queue.Push(candidate, target);
                }
            }
        }

        if (!(distance[graph.Final] < double.MaxValue))
        {
            return [];
        }
        var length = 0;
        for (var node = graph.Final; viaEdge[node] >= 0; node = previous[node])
        {
            length++;
        }
        var pieces = new int[length];
        for (var node = graph.Final; viaEdge[node] >= 0; node = previous[node])
        {
            pieces[--length] = labels[viaEdge[node]];
        }
        return pieces;
    }
}
