using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Matryoshka.IO.Configuration;

/// <summary>
/// Types YAML scalars the way PyYAML's <c>SafeLoader</c> does (YAML 1.1), because ml-mdm reads its configs with it:
/// plain scalars become bool (<c>true/True/TRUE/yes/no/on/off</c> …), int (signs, <c>0x</c>, <c>0b</c>, leading-0
/// octal, <c>_</c> separators, base-60 <c>1:30</c>), float (only with a dot: <c>1.0</c>, <c>5.0e-05</c>; <c>1e5</c>
/// stays a string) or null (<c>~</c>, <c>null</c>, empty); everything else, including <c>None</c>, is a string.
/// </summary>
/// <remarks>
/// Numbers are produced as JSON text so that they behave exactly like numbers read from a config.json. JSON has no
/// infinity, NaN or timestamps: <c>.inf</c>/<c>.nan</c> and dates keep their text, as strings.
/// </remarks>
internal static partial class PyYamlScalars
{
    /// <summary>The value of a plain (unquoted, untagged) scalar.</summary>
    public static JsonNode? Resolve(string text)
    {
        if (NullPattern().IsMatch(text)) return null;
        if (BoolPattern().IsMatch(text)) return JsonValue.Create(IsTrue(text));
        if (FloatPattern().IsMatch(text)) return Float(text) ?? (JsonNode)JsonValue.Create(text);
        if (IntPattern().IsMatch(text)) return Int(text);
        return JsonValue.Create(text);
    }

    /// <summary>The value of a scalar with an explicit YAML core tag (<c>!!str</c>, <c>!!int</c> …); null when the text does not fit the tag.</summary>
    /// <returns>False when the tag is not one SafeLoader constructs into a plain value.</returns>
    public static bool TryConstruct(string tag, string text, out JsonNode? value, out string? problem)
    {
        value = null;
        problem = null;
        switch (tag)
        {
            case "tag:yaml.org,2002:str":
                value = JsonValue.Create(text);
                return true;
            case "tag:yaml.org,2002:null":
                return true;
            case "tag:yaml.org,2002:bool":
                var lower = text.ToLowerInvariant();
                if (lower is "yes" or "true" or "on" or "no" or "false" or "off") value = JsonValue.Create(lower is "yes" or "true" or "on");
                else problem = $"'{text}' is not a YAML boolean";
                return true;
            case "tag:yaml.org,2002:int":
                value = TryInt(text);
                if (value is null) problem = $"'{text}' is not a YAML integer";
                return true;
            case "tag:yaml.org,2002:float":
                value = Float(text);
                if (value is null) problem = $"'{text}' is not a finite YAML float";
                return true;
            default:
                return false;
        }
    }

    private static bool IsTrue(string text) => text is "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON";

    private static JsonNode Int(string text) => TryInt(text) ?? throw new InvalidOperationException($"'{text}' matched the integer pattern but does not parse");

    // PyYAML construct_yaml_int.
    private static JsonNode? TryInt(string text)
    {
        var value = text.Replace("_", "", StringComparison.Ordinal);
        if (value.Length == 0) return null;
        int sign = value[0] == '-' ? -1 : 1;
        if (value[0] is '+' or '-') value = value[1..];
        BigInteger? result;
        if (value == "0") result = BigInteger.Zero;
        else if (value.StartsWith("0b", StringComparison.Ordinal)) result = ParseBase(value[2..], 2);
        else if (value.StartsWith("0x", StringComparison.Ordinal)) result = ParseBase(value[2..], 16);
        else if (value.StartsWith('0')) result = ParseBase(value, 8);
        else if (value.Contains(':', StringComparison.Ordinal)) result = Sexagesimal(value);
        else result = ParseBase(value, 10);
        return result is { } r ? Number((sign * r).ToString(CultureInfo.InvariantCulture)) : null;
    }

    private static BigInteger? ParseBase(string digits, int radix)
    {
        if (digits.Length == 0) return null;
        BigInteger result = BigInteger.Zero;
        foreach (char c in digits)
        {
            int digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : radix;
            if (digit >= radix) return null;
            result = result * radix + digit;
        }
        return result;
    }

    private static BigInteger? Sexagesimal(string value)
    {
        BigInteger result = BigInteger.Zero;
        foreach (var part in value.Split(':'))
        {
            if (ParseBase(part, 10) is not { } digit) return null;
            result = result * 60 + digit;
        }
        return result;
    }

    // PyYAML construct_yaml_float; null for the non-finite values JSON cannot hold, and for text that is no float.
    private static JsonNode? Float(string text)
    {
        var value = text.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        if (value.Length == 0) return null;
        int sign = value[0] == '-' ? -1 : 1;
        if (value[0] is '+' or '-') value = value[1..];
        double result;
        if (value.Contains(':', StringComparison.Ordinal))
        {
            result = 0;
            foreach (var part in value.Split(':'))
            {
                if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double digit)) return null;
                result = result * 60 + digit;
            }
        }
        else if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result))
        {
            return null;
        }
        result *= sign;
        if (!double.IsFinite(result)) return null;
        var json = result.ToString("R", CultureInfo.InvariantCulture);
        // Keep it a float in JSON too (1.0 rather than 1).
        if (!json.Contains('.', StringComparison.Ordinal) && !json.Contains('E', StringComparison.Ordinal)) json += ".0";
        return Number(json);
    }

    private static JsonNode Number(string json) => JsonNode.Parse(json)!;

    // The implicit resolvers of PyYAML's resolver.py (YAML 1.1), in the order PyYAML tries them.
    [GeneratedRegex(@"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$", RegexOptions.CultureInvariant)]
    private static partial Regex BoolPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:~|null|Null|NULL|)$", RegexOptions.CultureInvariant)]
    private static partial Regex NullPattern();
}
