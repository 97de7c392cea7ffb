using Matryoshka.Sampling;

namespace Matryoshka.Cli.Commands;

/// <summary>The <c>--threshold</c> names the commands accept (ml-mdm's threshold_function values, lower case).</summary>
internal static class Thresholds
{
    /// <summary>The thresholding named, or null when none is named.</summary>
    /// <exception cref="ArgumentException">The name is not one of none, clip, dynamic, dynamic_if.</exception>
    public static Thresholding? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        null => null,
        "none" => Thresholding.None,
        "clip" => Thresholding.Clip,
        "dynamic" => Thresholding.Dynamic,
        "dynamic_if" => Thresholding.DeepFloyd,
        var other => throw new ArgumentException($"--threshold '{other}' is not one of none, clip, dynamic, dynamic_if"),
    };
}
