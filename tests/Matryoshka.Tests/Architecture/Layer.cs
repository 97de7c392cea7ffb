namespace Matryoshka.Tests.Architecture;

/// <summary>One layer of the architecture: the namespaces it holds, in no particular order (docs/architecture.md).</summary>
/// <param name="Name">What the layer is called in the docs and in failure messages.</param>
/// <param name="Namespaces">Exact namespace names; a sub-namespace is listed on its own, often in a higher layer.</param>
internal sealed record Layer(string Name, IReadOnlyList<string> Namespaces);
