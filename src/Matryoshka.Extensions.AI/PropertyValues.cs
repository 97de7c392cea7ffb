using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Matryoshka.Extensions.AI;

/// <summary>Reads typed values from <c>AdditionalProperties</c>, whether they came as CLR values, strings or JSON.</summary>
internal static class PropertyValues
{
    public static ulong? UInt64(AdditionalPropertiesDictionary? properties, string key) =>
        Whole(properties, key, 0, ulong.MaxValue) is { } value ? (ulong)value : null;

    public static int? Int32(AdditionalPropertiesDictionary? properties, string key) =>
        Whole(properties, key, int.MinValue, int.MaxValue) is { } value ? (int)value : null;

    public static double? Double(AdditionalPropertiesDictionary? properties, string key) =>
        Value(properties, key) is { } value
            ? (double)(Number(value) ?? throw Wrong(key, "a finite number", value))
            : null;

    public static string? String(AdditionalPropertiesDictionary? properties, string key) => Value(properties, key) switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
        var other => throw Wrong(key, "a string", other),
    };

    private static decimal? Whole(AdditionalPropertiesDictionary? properties, string key, decimal min, decimal max)
    {
        if (Value(properties, key) is not { } value) return null;
        var number = Number(value);
        if (number is not { } n || n != decimal.Truncate(n) || n < min || n > max)
            throw Wrong(key, $"a whole number in [{min}, {max}]", value);
        return n;
    }

    private static object? Value(AdditionalPropertiesDictionary? properties, string key) =>
        properties is not null && properties.TryGetValue(key, out var value) && value is not JsonElement { ValueKind: JsonValueKind.Null } ? value : null;

    /// <summary>Decimal holds every ulong exactly; NaN and infinities have no decimal, so they are refused too.</summary>
    private static decimal? Number(object value)
    {
        try
        {
            return value switch
            {
                JsonElement { ValueKind: JsonValueKind.Number } json => json.TryGetDecimal(out var d) ? d : null,
                JsonElement { ValueKind: JsonValueKind.String } json => Parse(json.GetString()),
                string text => Parse(text),
                bool or char => null,
                double d => double.IsFinite(d) ? (decimal)d : null,
                float f => float.IsFinite(f) ? (decimal)f : null,
                IConvertible convertible => convertible.ToDecimal(CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        catch (Exception e) when (e is OverflowException or InvalidCastException or FormatException)
        {
            return null;
        }
    }

    private static decimal? Parse(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static UnsupportedImageRequestException Wrong(string key, string expected, object value) =>
        new($"AdditionalProperties[\"{key}\"]", $"must be {expected}; got '{value}' ({value.GetType().Name}).");
}
