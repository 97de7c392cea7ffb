namespace Matryoshka.Sampling;

/// <summary>The built-in samplers by name, for configuration files and command lines.</summary>
public static class Samplers
{
    /// <summary>Names accepted by <see cref="FromName"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "ddim", "ddpm", "dpm++2m" };

    /// <summary>The sampler called <paramref name="name"/> (case-insensitive); <paramref name="eta"/> applies to DDIM.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ISampler FromName(string name, double eta = 0) => name?.ToLowerInvariant() switch
    {
        "ddim" => new DdimSampler(eta),
        "ddpm" => new DdpmSampler(),
        "dpm++2m" => new DpmSolverPlusPlusSampler(),
        _ => throw new ArgumentException($"Sampler '{name}' is not one of {string.Join(", ", Names)}.", nameof(name)),
    };
}
