using System.Reflection;
using System.Runtime.CompilerServices;
using NetArchTest.Rules;

namespace Matryoshka.Tests.Architecture;

/// <summary>
/// Which namespace uses which, from the compiled assemblies: NetArchTest reads every type's base types, members,
/// signatures, method bodies and compiler-generated closures, so an edge means a type is really referenced (a stray
/// <c>using</c> makes none). Namespaces are exact: <c>Matryoshka.Models</c> and <c>Matryoshka.Models.Blocks</c> are two.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedDictionary<string, SortedSet<string>>> _uses;

    private NamespaceGraph(IReadOnlySet<string> namespaces, Dictionary<string, SortedDictionary<string, SortedSet<string>>> uses)
    {
        Namespaces = namespaces;
        _uses = uses;
    }

    /// <summary>Every namespace whose types were read (the sources).</summary>
    public IReadOnlySet<string> Namespaces { get; }

    /// <summary>The edges: from, to, and the types of <c>from</c> that use <c>to</c>.</summary>
    public IEnumerable<(string From, string To, IReadOnlyCollection<string> Users)> Edges =>
        _uses.SelectMany(f => f.Value.Select(t => (f.Key, t.Key, (IReadOnlyCollection<string>)t.Value)));

    /// <summary>The namespaces <paramref name="from"/> uses.</summary>
    public IEnumerable<string> Uses(string from) => _uses.TryGetValue(from, out var to) ? to.Keys : [];

    /// <summary>
    /// Reads the types of <paramref name="sources"/> whose namespace starts with <paramref name="prefix"/> and records
    /// their uses of the namespaces of <paramref name="targets"/> (prefix <c>Matryoshka</c>).
    /// </summary>
    /// <remarks>
    /// NetArchTest's namespace filter misses non-public nested types (it sees no namespace on them), so the prefix is
    /// applied here, by reflection, unless <paramref name="narrow"/> asks NetArchTest to read only public types under
    /// the prefix (for the test assembly, whose thousands of test types would otherwise all be read).
    /// </remarks>
    public static NamespaceGraph Of(IReadOnlyCollection<Assembly> sources, IReadOnlyCollection<Assembly> targets, string prefix = "Matryoshka", bool narrow = false)
    {
        var names = targets.SelectMany(Listed).Where(t => t.DeclaringType is null && InPrefix(t.Namespace, "Matryoshka"))
            .GroupBy(t => t.Namespace!).ToDictionary(g => g.Key, g => g.Select(t => t.FullName!).Distinct().ToArray());
        var types = Types.InAssemblies(sources);
        var uses = new Dictionary<string, SortedDictionary<string, SortedSet<string>>>();
        foreach (var (target, typeNames) in names)
        {
            var users = narrow
                ? types.That().ResideInNamespaceStartingWith(prefix).And().HaveDependencyOnAny(typeNames).GetTypes()
                : types.That().HaveDependencyOnAny(typeNames).GetTypes();
            foreach (var user in users.Where(u => InPrefix(u.Namespace, prefix) && u.Namespace != target && !IsGenerated(u)))
            {
                if (!uses.TryGetValue(user.Namespace!, out var to)) uses[user.Namespace!] = to = new(StringComparer.Ordinal);
                if (!to.TryGetValue(target, out var byType)) to[target] = byType = new(StringComparer.Ordinal);
                byType.Add(Outermost(user).Name);
            }
        }
        var namespaces = sources.SelectMany(Listed).Where(t => InPrefix(t.Namespace, prefix)).Select(t => t.Namespace!).ToHashSet(StringComparer.Ordinal);
        return new NamespaceGraph(namespaces, uses);
    }

    private static IEnumerable<Type> Listed(Assembly assembly) => assembly.GetTypes().Where(t => !IsGenerated(t));

    // Compiler-made types (closures, embedded attributes) count as part of the type that caused them.
    private static bool IsGenerated(Type type) =>
        Outermost(type).IsDefined(typeof(CompilerGeneratedAttribute), false) || type.Name.StartsWith('<');

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static bool InPrefix(string? name, string prefix) =>
        name is not null && (name == prefix || name.StartsWith(prefix + ".", StringComparison.Ordinal));
}
