using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Matryoshka.IO.Configuration;

/// <summary>
/// Typed, path-aware reads from a JSON object holding ml-mdm config fields (from a config.json, or a YAML file
/// converted to JSON). Every failure is a <see cref="ModelConfigurationException"/> naming the field's full path.
/// Accepts ml-mdm's spellings: lists as arrays, comma-separated strings or a single number; flags as booleans or 0/1.
/// </summary>
internal readonly struct ConfigNode
{
    private readonly JsonObject _json;

    public ConfigNode(JsonObject json, string path)
    {
        _json = json;
        Path = path;
    }

    public string Path { get; }

    public IEnumerable<string> Keys => _json.Select(p => p.Key);

    public bool Has(string key) => _json.TryGetPropertyValue(key, out var value) && value is not null;

    public string FieldPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public ConfigNode? Child(string key)
    {
        if (!_json.TryGetPropertyValue(key, out var value) || value is null) return null;
        return value is JsonObject obj ? new ConfigNode(obj, FieldPath(key)) : throw Invalid(key, "must be a mapping");
    }

    public int? Int(string key)
    {
        var value = Scalar(key);
        if (value is null) return null;
        if (value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long l))
            return l is >= int.MinValue and <= int.MaxValue ? (int)l : throw OutOfRange(key, "", l.ToString(CultureInfo.InvariantCulture));
        if (value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double d) && d == Math.Floor(d))
            return Math.Abs(d) <= int.MaxValue ? (int)d : throw OutOfRange(key, "", value.ToJsonString());
        if (value.GetValueKind() == JsonValueKind.String && int.TryParse(value.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s)) return s;
        if (value.GetValueKind() == JsonValueKind.String && IsWholeNumber(value.GetValue<string>())) throw OutOfRange(key, "", value.GetValue<string>().Trim());
        throw Invalid(key, $"must be an integer; got {value.ToJsonString()}");
    }

    public double? Double(string key)
    {
        var value = Scalar(key);
        if (value is null) return null;
        if (value.GetValueKind() == JsonValueKind.Number) return value.GetValue<double>();
        if (value.GetValueKind() == JsonValueKind.String && double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double s)) return s;
        throw Invalid(key, $"must be a number; got {value.ToJsonString()}");
    }

    public bool? Bool(string key)
    {
        var value = Scalar(key);
        if (value is null) return null;
        switch (value.GetValueKind())
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number when value.TryGetValue(out long n) && n is 0 or 1: return n == 1;
            case JsonValueKind.String:
                var text = value.GetValue<string>().Trim().ToLowerInvariant();
                if (text is "true" or "1") return true;
                if (text is "false" or "0") return false;
                break;
        }
        throw Invalid(key, $"must be true/false (or 1/0); got {value.ToJsonString()}");
    }

    /// <summary>A string, or null when absent, JSON null, or the YAML spellings "None"/"null".</summary>
    public string? String(string key)
    {
        var value = Scalar(key);
        if (value is null) return null;
        if (value.GetValueKind() != JsonValueKind.String) return value.ToJsonString();
        var text = value.GetValue<string>();
        return text is "None" or "null" or "~" ? null : text;
    }

    /// <summary>An integer list; a single value is repeated <paramref name="repeatTo"/> times when given.</summary>
    public IReadOnlyList<int>? IntList(string key, int? repeatTo = null)
    {
        if (!_json.TryGetPropertyValue(key, out var node) || node is null) return null;
        List<int> values;
        if (node is JsonArray array)
        {
            values = new List<int>();
            for (int i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue item && item.GetValueKind() == JsonValueKind.Number && item.TryGetValue(out long n))
                    values.Add(n is >= int.MinValue and <= int.MaxValue ? (int)n : throw OutOfRange(key, $"entry {i} ", n.ToString(CultureInfo.InvariantCulture)));
                else if (array[i] is JsonValue whole && whole.GetValueKind() == JsonValueKind.Number && IsWholeNumber(whole.ToJsonString()))
                    throw OutOfRange(key, $"entry {i} ", whole.ToJsonString());
                else
                    throw Invalid(key, $"entry {i} must be an integer; got {array[i]?.ToJsonString() ?? "null"}");
            }
        }
        else if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>().Trim();
            values = new List<int>();
            if (text.Length > 0)
                foreach (var part in text.Split(','))
                    values.Add(int.TryParse(part.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
                        : IsWholeNumber(part) ? throw OutOfRange(key, $"'{text}': ", part.Trim())
                        : throw Invalid(key, $"'{text}': '{part}' is not an integer"));
            if (values.Count == 1 && repeatTo is int r1) values = Enumerable.Repeat(values[0], r1).ToList();
        }
        else if (node is JsonValue single && single.GetValueKind() == JsonValueKind.Number)
        {
            values = new List<int> { Int(key)!.Value };
            if (repeatTo is int r2) values = Enumerable.Repeat(values[0], r2).ToList();
        }
        else
        {
            throw Invalid(key, $"must be a list of integers; got {node.ToJsonString()}");
        }
        return values;
    }

    public ModelConfigurationException Invalid(string key, string problem) => new(FieldPath(key), problem);

    // A whole number too large for the field: said plainly, not as "must be an integer" (it is one) nor wrapped around.
    private ModelConfigurationException OutOfRange(string key, string entry, string number) =>
        Invalid(key, $"{entry}is {number}, outside the 32-bit integers a config field holds ({int.MinValue} to {int.MaxValue})");

    private static bool IsWholeNumber(string text)
    {
        var digits = text.AsSpan().Trim();
        if (digits.Length > 0 && digits[0] is '+' or '-') digits = digits[1..];
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private JsonValue? Scalar(string key)
    {
        if (!_json.TryGetPropertyValue(key, out var node) || node is null) return null;
        return node as JsonValue ?? throw Invalid(key, $"must be a single value; got {node.ToJsonString()}");
    }
}
