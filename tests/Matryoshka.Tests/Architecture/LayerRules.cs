namespace Matryoshka.Tests.Architecture;

/// <summary>The rules over a <see cref="NamespaceGraph"/>; each returns its violations as sentences (none = pass).</summary>
internal static class LayerRules
{
    /// <summary>Edges from a namespace to one in a higher layer.</summary>
    public static IReadOnlyList<string> UpwardDependencies(NamespaceGraph graph, IReadOnlyList<Layer> layers)
    {
        var rank = Ranks(layers);
        return graph.Edges
            .Where(e => rank.TryGetValue(e.From, out var from) && rank.TryGetValue(e.To, out var to) && to > from)
            .Select(e => $"{e.From} ({layers[rank[e.From]].Name}) uses {e.To} ({layers[rank[e.To]].Name}), a higher layer, in {string.Join(", ", e.Users)}")
            .ToList();
    }

    /// <summary>Namespaces that were read but belong to no layer, so no rule can place them.</summary>
    public static IReadOnlyList<string> Unlayered(NamespaceGraph graph, IReadOnlyList<Layer> layers)
    {
        var rank = Ranks(layers);
        return graph.Namespaces.Where(n => !rank.ContainsKey(n)).Order(StringComparer.Ordinal)
            .Select(n => $"{n} is in no layer: add it to Layers.BottomUp and docs/architecture.md").ToList();
    }

    /// <summary>Each group of namespaces that reach each other through their uses (a circle), smallest name first.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(NamespaceGraph graph) =>
        StronglyConnected(graph).Where(c => c.Count > 1).Select(c => (IReadOnlyList<string>)c.Order(StringComparer.Ordinal).ToList()).ToList();

    private static Dictionary<string, int> Ranks(IReadOnlyList<Layer> layers)
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
            foreach (var name in layers[i].Namespaces)
                if (!rank.TryAdd(name, i)) throw new InvalidOperationException($"{name} is in two layers");
        return rank;
    }

    // Tarjan's algorithm: one depth-first walk; a node whose lowest reachable index is its own closes a component.
    private static List<List<string>> StronglyConnected(NamespaceGraph graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();
        var nodes = graph.Edges.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal);
        foreach (var node in nodes) if (!index.ContainsKey(node)) Visit(node);
        return components;

        void Visit(string node)
        {
            int order = index.Count;
            index[node] = order;
            low[node] = order;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.Uses(node))
            {
                if (!index.ContainsKey(next)) { Visit(next); low[node] = Math.Min(low[node], low[next]); }
                else if (onStack.Contains(next)) low[node] = Math.Min(low[node], index[next]);
            }
            if (low[node] != index[node]) return;
            var component = new List<string>();
            string member;
            do { member = stack.Pop(); onStack.Remove(member); component.Add(member); } while (member != node);
            components.Add(component);
        }
    }
}
