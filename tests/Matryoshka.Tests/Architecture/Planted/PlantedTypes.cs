using System.Runtime.CompilerServices;
using Matryoshka.Pipelines;

// A planted violation of the internals rule: nothing of the test assembly is meant for Matryoshka.ImageSharp, a
// packable library (granting it is harmless; it only lets the rule be seen to fail).
[assembly: InternalsVisibleTo("Matryoshka.ImageSharp")]

// Planted violations, each in a namespace that only PlantedViolationTests maps into a layer: the real table never
// sees them, so they fail nothing but the tests written to catch them.
namespace Matryoshka.Tests.Architecture.Planted.Low
{
    /// <summary>Sits in the IO layer (as the planted test maps it) yet uses the pipeline, three layers higher.</summary>
    public static class ReachesUp
    {
        /// <summary>An upward use inside a method body only, where just the IL shows it.</summary>
        public static string Describe() => new GenerationRequest("planted").Prompt ?? "";
    }
}

namespace Matryoshka.Tests.Architecture.Planted.CircleA
{
    /// <summary>Uses <see cref="CircleB.Second"/>, which uses this type back.</summary>
    public sealed class First
    {
        /// <summary>The other half of the circle.</summary>
        public CircleB.Second? Other { get; set; }
    }
}

namespace Matryoshka.Tests.Architecture.Planted.CircleB
{
    /// <summary>Uses <see cref="CircleA.First"/> inside a lambda, which the compiler moves into a nested class.</summary>
    public sealed class Second
    {
        /// <summary>Makes a <see cref="CircleA.First"/> on demand.</summary>
        public Func<object> Factory { get; } = () => new CircleA.First();
    }
}
