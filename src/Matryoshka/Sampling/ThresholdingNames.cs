namespace Matryoshka.Sampling;

/// <summary>Thresholding by name (ml-mdm's <c>threshold_function</c> values, lower case), for manifests and command lines.</summary>
public static class ThresholdingNames
{
    /// <summary>Names accepted by <see cref="FromName"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "none", "clip", "dynamic", "dynamic_if" };

    /// <summary>The thresholding called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static Thresholding FromName(string name) => name?.ToLowerInvariant() switch
    {
        "none" => Thresholding.None,
        "clip" => Thresholding.Clip,
        "dynamic" => Thresholding.Dynamic,
        "dynamic_if" => Thresholding.DeepFloyd,
        _ => throw new ArgumentException($"Thresholding '{name}' is not one of {string.Join(", ", Names)}.", nameof(name)),
    };
}
