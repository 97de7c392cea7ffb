using System.Globalization;

namespace Matryoshka.Benchmarks.Comparison;

/// <summary>The text forms of bench-compare's numbers: percentages (10%) and durations (0.05ms, 20us, 500ns, 1s).</summary>
public static class BenchmarkUnits
{
    // Longest first, so "ms" is not read as "s". Both the Greek mu and the micro sign are accepted for microseconds.
    private static readonly (string Suffix, double Nanoseconds)[] TimeUnits =
        [("ns", 1), ("us", 1e3), ("μs", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9)];

    /// <summary>"10%" as 0.1; null unless it is a percentage from 0 up to (not including) 100.</summary>
    public static double? TryParsePercent(string text)
    {
        text = text.Trim();
        return text.EndsWith('%') && TryParseNumber(text[..^1], out double percent) && percent < 100 ? percent / 100 : null;
    }

    /// <summary>A non-negative duration in nanoseconds; a bare 0 needs no unit. Null for anything else.</summary>
    public static double? TryParseDuration(string text)
    {
        text = text.Trim();
        if (text == "0") return 0;
        foreach (var (suffix, nanoseconds) in TimeUnits.OrderByDescending(unit => unit.Suffix.Length))
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && TryParseNumber(text[..^suffix.Length], out double value))
            {
                double total = value * nanoseconds;
                return double.IsFinite(total) ? total : null;
            }
        }
        return null;
    }

    /// <summary>Nanoseconds in the largest unit that keeps the number at 1 or more, two decimals: "27.60 ms".</summary>
    public static string FormatDuration(double nanoseconds)
    {
        var (value, unit) = Math.Abs(nanoseconds) switch
        {
            >= 1e9 => (nanoseconds / 1e9, "s"),
            >= 1e6 => (nanoseconds / 1e6, "ms"),
            >= 1e3 => (nanoseconds / 1e3, "μs"),
            _ => (nanoseconds, "ns"),
        };
        return value.ToString("#,0.00", CultureInfo.InvariantCulture) + " " + unit;
    }

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
