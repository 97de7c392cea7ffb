using Matryoshka.Sampling;

namespace Matryoshka.Cli.Commands;

/// <summary>Options whose value is one of a library's names (<c>--threshold</c>, <c>--pixels</c>, <c>--dtype</c>, …), refused in the option's words.</summary>
internal static class NamedOption
{
    /// <summary>What <paramref name="value"/> names.</summary>
    /// <exception cref="ArgumentException">The value is not one of <paramref name="names"/>.</exception>
    public static T Parse<T>(string option, string value, IReadOnlyCollection<string> names, Func<string, T> fromName)
    {
        if (!names.Contains(value, StringComparer.OrdinalIgnoreCase)) throw new ArgumentException($"{option} '{value}' is not one of {string.Join(", ", names)}");
        return fromName(value);
    }

    /// <summary>The <c>--threshold</c> named (ml-mdm's threshold_function values, lower case), or null when none is named.</summary>
    public static Thresholding? Threshold(string? name) => name is null ? null : Parse("--threshold", name, ThresholdingNames.Names, ThresholdingNames.FromName);
}
