using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Matryoshka.IO.Configuration;

/// <summary>
/// Turns one YAML document into a JSON tree with the semantics of PyYAML's <c>yaml.safe_load</c>, which ml-mdm uses:
/// a repeated key takes its last value, scalars are typed by <see cref="PyYamlScalars"/>, <c>&lt;&lt;</c> merges
/// mappings, and only YAML's core tags are accepted. Works on YamlDotNet's event stream, because its representation
/// model refuses repeated keys. Size, depth and alias expansion are bounded by <see cref="YamlConfigLimits"/>.
/// </summary>
internal sealed class YamlConfigReader
{
    private const string MergeTag = "tag:yaml.org,2002:merge";

    private readonly Parser _parser;
    private readonly string _source;
    private readonly YamlConfigLimits _limits;
    // Anchored nodes and their node counts. Nodes are never changed once read; aliases and merges copy them.
    private readonly Dictionary<string, (JsonNode? Node, int Count)> _anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _openAnchors = new(StringComparer.Ordinal);
    private readonly Action<string>? _warn;
    private int _nodes;

    private YamlConfigReader(string text, string source, YamlConfigLimits limits, Action<string>? warn)
    {
        _warn = warn;
        _parser = new Parser(new StringReader(text));
        _source = source;
        _limits = limits;
    }

    /// <summary>Reads <paramref name="text"/>, which must hold one YAML document whose top level is a mapping.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="source">What to call the text in error messages (usually the file's path).</param>
    /// <param name="limits">Bounds; <see cref="YamlConfigLimits.Default"/> when null.</param>
    /// <param name="warn">Told of what PyYAML accepts silently but is likely a mistake: a key repeated in one mapping
    /// (the last value is kept, as PyYAML keeps it).</param>
    /// <exception cref="ModelConfigurationException">The text is too large, not YAML, or not a bounded mapping; the
    /// field is <paramref name="source"/> and the problem names the line.</exception>
    public static JsonObject Read(string text, string source, YamlConfigLimits? limits = null, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= YamlConfigLimits.Default;
        if (text.Length > limits.MaxBytes)
            throw new ModelConfigurationException(source, string.Create(CultureInfo.InvariantCulture, $"is {text.Length:N0} characters long; a model config may have at most {limits.MaxBytes:N0}"));
        CheckPrintable(text, source);
        try
        {
            return new YamlConfigReader(text, source, limits, warn).ReadDocument();
        }
        catch (YamlException e)
        {
            throw new ModelConfigurationException(source, $"line {e.Start.Line}, column {e.Start.Column}: YAML syntax error: {WithoutPosition(e.Message)}");
        }
    }

    // PyYAML's reader refuses control characters and lone surrogates before parsing; so do we (they would also end
    // up in error messages printed to terminals).
    private static void CheckPrintable(string text, string source)
    {
        int line = 1, column = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool printable = c is '\t' or '\n' or '\r' or '\u0085' or (>= ' ' and <= '~') or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');
            if (!printable && char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                printable = true;
            }
            if (!printable)
                throw new ModelConfigurationException(source, $"line {line}, column {column}: the character U+{(int)c:X4} is not allowed in YAML");
            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
    }

    private JsonObject ReadDocument()
    {
        Next(); // StreamStart
        if (Next() is StreamEnd) throw new ModelConfigurationException(_source, "is empty; expected a mapping of config fields");
        var start = Require<DocumentStart>();
        Next();
        var root = ReadNode("", 0, out _);
        Require<DocumentEnd>();
        if (Next() is not StreamEnd)
            throw Error(_parser.Current!.Start, "holds more than one YAML document; a config is a single mapping");
        return root as JsonObject ?? throw Error(start.Start,
            $"the top level must be a mapping of config fields; got {(root is null ? "null" : root is JsonArray ? "a sequence" : "a single value")}");
    }

    private JsonNode? ReadNode(string path, int depth, out int count)
    {
        var current = _parser.Current!;
        switch (current)
        {
            case AnchorAlias alias:
                count = Expand(alias, path, out var copy);
                Next();
                return copy;
            case Scalar scalar:
                count = Add(1, scalar.Start, path);
                var value = ScalarValue(scalar, path);
                Remember(scalar.Anchor, value, count, scalar.Start);
                Next();
                return value;
            case SequenceStart sequence:
                return ReadSequence(sequence, path, depth + 1, out count);
            case MappingStart mapping:
                return ReadMapping(mapping, path, depth + 1, out count);
            default:
                throw Error(current.Start, $"{Where(path)}unexpected YAML event {current.GetType().Name}");
        }
    }

    private JsonArray ReadSequence(SequenceStart start, string path, int depth, out int count)
    {
        CheckCollection(start, path, depth, "tag:yaml.org,2002:seq");
        count = Add(1, start.Start, path);
        var array = new JsonArray();
        Next();
        while (_parser.Current is not SequenceEnd)
        {
            array.Add(ReadNode($"{path}[{array.Count}]", depth, out int itemCount));
            count += itemCount;
        }
        Next();
        Close(start.Anchor, array, count);
        return array;
    }

    private JsonObject ReadMapping(MappingStart start, string path, int depth, out int count)
    {
        CheckCollection(start, path, depth, "tag:yaml.org,2002:map");
        count = Add(1, start.Start, path);
        // PyYAML puts merged pairs before the mapping's own, whatever their position; then the last of equal keys wins.
        var merged = new List<KeyValuePair<string, JsonNode?>>();
        var own = new List<KeyValuePair<string, JsonNode?>>();
        var keyLines = new Dictionary<string, long>(StringComparer.Ordinal);
        Next();
        while (_parser.Current is not MappingEnd)
        {
            var keyEvent = _parser.Current!;
            if (keyEvent is Scalar { Value: "<<" } mergeKey && (mergeKey.Tag.IsEmpty ? mergeKey.Style == ScalarStyle.Plain : mergeKey.Tag.Value == MergeTag))
            {
                Next();
                var source = ReadNode(Field(path, "<<"), depth, out int mergedCount);
                // The merged pairs are copies, charged like an alias.
                count += mergedCount + Add(mergedCount, keyEvent.Start, path);
                merged.AddRange(MergedPairs(source, keyEvent.Start, path));
                continue;
            }
            var key = ReadKey(path, depth, out int keyCount);
            var value = ReadNode(Field(path, key), depth, out int valueCount);
            count += keyCount + valueCount;
            own.Add(new(key, value));
            if (keyLines.TryGetValue(key, out long earlier))
                _warn?.Invoke($"{_source}: line {keyEvent.Start.Line}: key '{Field(path, key)}' repeats line {earlier}; the last value is used, as PyYAML does");
            keyLines[key] = keyEvent.Start.Line;
        }
        Next();

        var mapping = new JsonObject();
        foreach (var (key, value) in merged.Concat(own)) mapping[key] = value;
        Close(start.Anchor, mapping, count);
        return mapping;
    }

    // Keys are strings in JSON: scalar keys keep their text (PyYAML would type `1:` as an int key; configs use names).
    private string ReadKey(string path, int depth, out int count)
    {
        var current = _parser.Current!;
        if (current is MappingStart or SequenceStart)
            throw Error(current.Start, $"{Where(path)}a mapping key must be a single value, not a {(current is MappingStart ? "mapping" : "sequence")}");
        if (current is Scalar scalar)
        {
            count = Add(1, scalar.Start, path);
            Remember(scalar.Anchor, ScalarValue(scalar, path), count, scalar.Start);
            Next();
            return scalar.Value;
        }
        var key = ReadNode(path, depth, out count);
        return key switch
        {
            JsonValue value when value.TryGetValue(out string? text) => text,
            JsonValue value => value.ToJsonString(),
            null => "null",
            _ => throw Error(current.Start, $"{Where(path)}a mapping key must be a single value; the alias names a {(key is JsonArray ? "sequence" : "mapping")}"),
        };
    }

    private List<KeyValuePair<string, JsonNode?>> MergedPairs(JsonNode? source, Mark mark, string path)
    {
        var pairs = new List<KeyValuePair<string, JsonNode?>>();
        switch (source)
        {
            case JsonObject mapping:
                pairs.AddRange(Copy(mapping));
                break;
            case JsonArray list when list.All(item => item is JsonObject):
                // Earlier mappings in the list take precedence, so they go last.
                foreach (var item in list.Reverse()) pairs.AddRange(Copy((JsonObject)item!));
                break;
            default:
                throw Error(mark, $"{Where(path)}'<<' needs a mapping or a list of mappings to merge");
        }
        return pairs;
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Copy(JsonObject mapping) =>
        mapping.Select(pair => new KeyValuePair<string, JsonNode?>(pair.Key, pair.Value?.DeepClone())).ToList();

    private JsonNode? ScalarValue(Scalar scalar, string path)
    {
        if (scalar.Tag.IsEmpty) return scalar.Style == ScalarStyle.Plain ? PyYamlScalars.Resolve(scalar.Value) : JsonValue.Create(scalar.Value);
        if (scalar.Tag.IsNonSpecific) return JsonValue.Create(scalar.Value);
        if (!PyYamlScalars.TryConstruct(scalar.Tag.Value, scalar.Value, out var value, out var problem))
            throw Error(scalar.Start, $"{Where(path)}the tag {scalar.Tag.Value} is not allowed in a config (only YAML's str, int, float, bool, null, seq and map)");
        return problem is null ? value : throw Error(scalar.Start, $"{Where(path)}{problem}");
    }

    private void CheckCollection(NodeEvent start, string path, int depth, string allowedTag)
    {
        if (depth > _limits.MaxDepth)
            throw Error(start.Start, $"{Where(path)}nesting deeper than {_limits.MaxDepth} levels");
        if (!start.Tag.IsEmpty && !start.Tag.IsNonSpecific && start.Tag.Value != allowedTag)
            throw Error(start.Start, $"{Where(path)}the tag {start.Tag.Value} is not allowed in a config (only YAML's str, int, float, bool, null, seq and map)");
        if (!start.Anchor.IsEmpty)
        {
            CheckNewAnchor(start.Anchor.Value, start.Start);
            _openAnchors.Add(start.Anchor.Value);
        }
    }

    private int Expand(AnchorAlias alias, string path, out JsonNode? copy)
    {
        var name = alias.Value.Value;
        if (_openAnchors.Contains(name))
            throw Error(alias.Start, $"{Where(path)}the alias *{name} refers to a node that contains it");
        if (!_anchors.TryGetValue(name, out var anchored))
            throw Error(alias.Start, $"{Where(path)}the alias *{name} has no anchor &{name} before it");
        // Count before copying: a billion-laughs document stops here, long before memory fills.
        Add(anchored.Count, alias.Start, path);
        copy = anchored.Node?.DeepClone();
        return anchored.Count;
    }

    private void Remember(AnchorName anchor, JsonNode? node, int count, Mark mark)
    {
        if (anchor.IsEmpty) return;
        CheckNewAnchor(anchor.Value, mark);
        _anchors[anchor.Value] = (node, count);
    }

    private void Close(AnchorName anchor, JsonNode node, int count)
    {
        if (anchor.IsEmpty) return;
        _openAnchors.Remove(anchor.Value);
        _anchors[anchor.Value] = (node, count);
    }

    // PyYAML refuses an anchor name used twice.
    private void CheckNewAnchor(string name, Mark mark)
    {
        if (_anchors.ContainsKey(name) || _openAnchors.Contains(name))
            throw Error(mark, $"the anchor &{name} is defined twice");
    }

    private int Add(int nodes, Mark mark, string path)
    {
        _nodes += nodes;
        if (_nodes > _limits.MaxNodes)
            throw Error(mark, string.Create(CultureInfo.InvariantCulture, $"{Where(path)}the document expands to more than {_limits.MaxNodes:N0} values (aliases included)"));
        return nodes;
    }

    private ParsingEvent Next()
    {
        var last = _parser.Current?.End ?? Mark.Empty;
        bool moved;
        try
        {
            moved = _parser.MoveNext();
        }
        catch (Exception e) when (e is not YamlException and (InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException))
        {
            // YamlDotNet throws these on some malformed input (an unclosed flow sequence, for one) instead of a YamlException.
            throw Error(last, $"YAML syntax error after this point: {e.Message}");
        }
        if (!moved) throw Error(last, "the YAML ends unexpectedly");
        return _parser.Current!;
    }

    private T Require<T>() where T : ParsingEvent =>
        _parser.Current as T ?? throw Error(_parser.Current!.Start, $"unexpected YAML event {_parser.Current.GetType().Name}");

    private ModelConfigurationException Error(Mark mark, string problem) => new(_source, $"line {mark.Line}, column {mark.Column}: {problem}");

    private static string Where(string path) => path.Length == 0 ? "" : $"{path}: ";

    private static string Field(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    // YamlDotNet prefixes its messages with "(Line: …, Col: …, Idx: …) - (…): "; we state the position ourselves.
    private static string WithoutPosition(string message)
    {
        int cut = message.StartsWith("(Line:", StringComparison.Ordinal) ? message.IndexOf("): ", StringComparison.Ordinal) : -1;
        return cut < 0 ? message : message[(cut + 3)..];
    }
}
