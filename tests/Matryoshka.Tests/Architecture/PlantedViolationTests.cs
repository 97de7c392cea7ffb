using System.Reflection;
using Matryoshka.Tests.Support;
using Xunit;

namespace Matryoshka.Tests.Architecture;

/// <summary>
/// The rules of <see cref="ArchitectureTests"/>, run on violations planted in this assembly (Architecture/Planted),
/// must report each one: a rule that cannot fail would pass for any code.
/// </summary>
public class PlantedViolationTests
{
    private const string Planted = "Matryoshka.Tests.Architecture.Planted";

    private static readonly Assembly Tests = typeof(PlantedViolationTests).Assembly;

    private static readonly Lazy<NamespaceGraph> Graph =
        new(() => NamespaceGraph.Of([Tests], [.. LibraryAssemblies.All, Tests], Planted, narrow: true));

    [Fact]
    public void A_use_of_a_higher_layer_is_reported_with_the_type_that_makes_it()
    {
        var layers = Layers.With("IO", Planted + ".Low", Planted + ".CircleA", Planted + ".CircleB");
        var problems = LayerRules.UpwardDependencies(Graph.Value, layers);
        var problem = Assert.Single(problems);
        Assert.Equal($"{Planted}.Low (IO) uses Matryoshka.Pipelines (Pipelines), a higher layer, in ReachesUp", problem);
    }

    [Fact]
    public void A_circle_is_reported_even_through_a_lambda()
    {
        var cycle = Assert.Single(LayerRules.Cycles(Graph.Value));
        Assert.Equal([$"{Planted}.CircleA", $"{Planted}.CircleB"], cycle);
    }

    [Fact]
    public void A_namespace_in_no_layer_is_reported()
    {
        var problems = LayerRules.Unlayered(Graph.Value, Layers.BottomUp);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith($"{Planted}.Low is in no layer", StringComparison.Ordinal));
    }

    [Fact]
    public void Internals_shown_to_a_packable_library_are_reported()
    {
        var problems = InternalsVisibility.ToPackableAssemblies([Tests], RepositoryFolder.Root);
        Assert.Contains("Matryoshka.Tests shows its internals to Matryoshka.ImageSharp, a packable project: make what it needs public (with XML docs) or move it there", problems);
    }
}
