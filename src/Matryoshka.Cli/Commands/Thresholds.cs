using Matryoshka.Sampling;

namespace Matryoshka.Cli.Commands;

/// <summary>The <c>--threshold</c> names the commands accept (ml-mdm's threshold_function values, lower case).</summary>
internal static class Thresholds
{
    /// <summary>The thresholding named, or null when none is named.</summary>
    /// <exception cref="ArgumentException">The name is not one of none, clip, dynamic, dynamic_if.</exception>
    public static Thresholding? Parse(string? name)
    {
        if (name is null) return null;
        try
        {
            return ThresholdingNames.FromName(name);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"--threshold '{name}' is not one of {string.Join(", ", ThresholdingNames.Names)}");
        }
    }
}
