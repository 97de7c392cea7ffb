using System.Collections.ObjectModel;
using System.Numerics;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Turns unpickled values into the read-only public tree described on <see cref="PickledObject"/>.
/// Shared sub-values are converted once (so the work is linear in the pickle), reference cycles and
/// nesting beyond <see cref="CheckpointReadOptions.MaxNestingDepth"/> are refused.
/// </summary>
internal sealed class PublicValueConverter(string filePath, int maxDepth)
{
    private readonly Dictionary<object, object> _converted = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _inProgress = new(ReferenceEqualityComparer.Instance);

    public object? Convert(object? value, int depth = 0)
    {
        switch (value)
        {
            case null or bool or long or BigInteger or double or string or byte[] or PickledEnumMember:
                return value;
            case PickleGlobal global:
                return new PickledClassReference(global.FullName);
            case PickledTensor tensor:
                return new TensorPlaceholder(tensor.Storage.ScalarType, Array.AsReadOnly(tensor.Size));
            case PickledStorage storage:
                return new TensorPlaceholder(storage.ScalarType, Array.AsReadOnly(new[] { storage.ViewElementCount }));
        }

        if (_converted.TryGetValue(value, out var done))
        {
            return done;
        }
        if (depth >= maxDepth)
        {
            throw new CheckpointFormatException(filePath, $"metadata is nested more than {maxDepth} levels deep");
        }
        if (!_inProgress.Add(value))
        {
            throw new CheckpointFormatException(filePath, $"metadata contains a {PickleTypeNames.Of(value)} that contains itself");
        }
        object result = value switch
        {
            PickleTuple tuple => List(tuple.Items, depth),
            List<object?> list => List(list, depth),
            PickleSet set => List(set.Items, depth),
            PickleDict dict => Dict(dict.Entries, depth),
            InertObject inert => new PickledObject(
                inert.TypeName,
                List(inert.Arguments.Items, depth),
                inert.KeywordArguments is null ? Dict([], depth) : Dict(inert.KeywordArguments.Entries, depth),
                Dict(inert.Fields.Entries, depth),
                Convert(inert.OtherState, depth + 1)),
            _ => throw new InvalidOperationException($"Unexpected unpickled value of type {value.GetType().Name}."),
        };
        _inProgress.Remove(value);
        _converted.Add(value, result);
        return result;
    }

    /// <summary>Converts the entries of a dict; a key that is not a str is named by its Python repr.</summary>
    public IReadOnlyDictionary<string, object?> Dict(IEnumerable<KeyValuePair<object, object?>> entries, int depth)
    {
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, item) in entries)
        {
            var name = key as string ?? PickledValueFormatter.KeyRepr(key);
            result[name] = Convert(item, depth + 1);
        }
        return new ReadOnlyDictionary<string, object?>(result);
    }

    private ReadOnlyCollection<object?> List(IEnumerable<object?> items, int depth) =>
        Array.AsReadOnly(items.Select(item => Convert(item, depth + 1)).ToArray());
}
