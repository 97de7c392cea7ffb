using System.Globalization;

namespace Matryoshka.Cli.Training;

/// <summary>Parses the durations the CLI accepts: 90s, 20m, 3h, 1.5h or hh:mm:ss.</summary>
internal static class Durations
{
    public static TimeSpan? TryParse(string text)
    {
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value))
        {
            double seconds = char.ToLowerInvariant(text[^1]) switch { 's' => value, 'm' => value * 60, 'h' => value * 3600, _ => double.NaN };
            if (double.IsFinite(seconds) && seconds < TimeSpan.MaxValue.TotalSeconds) return TimeSpan.FromSeconds(seconds);
        }
        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span : null;
    }
}
