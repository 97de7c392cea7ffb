using System.Text.Json;

namespace Matryoshka.Pipelines.Pretrained;

/// <summary>Typed, validated access to one JSON object of a manifest; every error names the file and the field.</summary>
internal sealed class Fields
{
    private readonly string _path;
    private readonly JsonElement _element;
    private readonly string _prefix;

    public Fields(string path, JsonElement element, string prefix, IReadOnlyCollection<string> known)
    {
        _path = path;
        _element = element;
        _prefix = prefix;
        foreach (var property in element.EnumerateObject())
            if (!known.Contains(property.Name))
                throw Invalid(property.Name, $"unknown field (known: {string.Join(", ", known)})");
    }

    public ModelManifestException Missing(string name) => new(_path, $"{_prefix}{name} is required.");

    public ModelManifestException Invalid(string name, string problem) => new(_path, $"{_prefix}{name}: {problem}.");

    public string? String(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw Invalid(name, $"must be a string, not {value.ValueKind}");
        var text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text) ? throw Invalid(name, "is empty") : text;
    }

    public int? Int(string name, int min, int max)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number)) throw Invalid(name, "must be an integer");
        return number >= min && number <= max ? number : throw Invalid(name, $"{number} is outside [{min}, {max}]");
    }

    public double? Double(string name, double min, double max)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number) throw Invalid(name, "must be a number");
        double number = value.GetDouble();
        return double.IsFinite(number) && number >= min && number <= max ? number : throw Invalid(name, $"{number} is outside [{min}, {max}]");
    }

    public string? Named(string name, IReadOnlyList<string> allowed)
    {
        var text = String(name);
        if (text is null) return null;
        return allowed.Contains(text.ToLowerInvariant()) ? text.ToLowerInvariant() : throw Invalid(name, $"'{text}' is not one of {string.Join(", ", allowed)}");
    }

    public string? DeviceName(string name)
    {
        var text = String(name);
        if (text is null) return null;
        try
        {
            _ = new TorchSharp.torch.Device(text);
            return text;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw Invalid(name, $"'{text}' is not a device name ({e.Message})");
        }
    }

    /// <summary>A path relative to <paramref name="folder"/> that must exist and stay inside it.</summary>
    public string? File(string name, string folder, bool allowFolder = false)
    {
        var relative = String(name);
        if (relative is null) return null;
        if (System.IO.Path.IsPathRooted(relative)) throw Invalid(name, $"'{relative}' must be relative to the model folder");
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative));
        if (!full.StartsWith(folder.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Invalid(name, $"'{relative}' leaves the model folder");
        bool exists = System.IO.File.Exists(full) || (allowFolder && Directory.Exists(full));
        return exists ? full : throw Invalid(name, $"'{relative}' does not exist in {folder}");
    }

    public IReadOnlyDictionary<string, string> StringMap(string name)
    {
        var map = new Dictionary<string, string>();
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return map;
        if (value.ValueKind != JsonValueKind.Object) throw Invalid(name, "must be an object of strings");
        foreach (var entry in value.EnumerateObject())
            map[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : throw Invalid($"{name}.{entry.Name}", "must be a string");
        return map;
    }
}
