namespace Matryoshka;

/// <summary>Pixel conventions by name (<c>mlmdm</c>, <c>standard</c>), for manifests, configurations and command lines.</summary>
public static class PixelConventionNames
{
    /// <summary>Names accepted by <see cref="FromName"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "mlmdm", "standard" };

    /// <summary>The convention called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static PixelConvention FromName(string name) => name?.ToLowerInvariant() switch
    {
        "mlmdm" => PixelConvention.MlMdm,
        "standard" => PixelConvention.Standard,
        _ => throw new ArgumentException($"Pixel convention '{name}' is not one of {string.Join(", ", Names)}.", nameof(name)),
    };
}
