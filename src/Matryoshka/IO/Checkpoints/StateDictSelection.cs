
namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Finds the state_dict in an unpickled checkpoint: the <c>state_dict</c> entry of the top-level dict
/// (ml-mdm's trainer checkpoints), or the top-level dict itself when all its values are tensors (a
/// plain <c>torch.save(model.state_dict())</c>).
/// </summary>
internal sealed record StateDictSelection(
    IReadOnlyList<KeyValuePair<string, PickledTensor>> Tensors,
    IReadOnlyList<KeyValuePair<object, object?>> OtherEntries)
{
    public const string StateDictKey = "state_dict";

    public static StateDictSelection From(object? root, string filePath)
    {
        if (root is not PickleDict top)
        {
            throw new CheckpointFormatException(filePath, $"the checkpoint holds a {PickleTypeNames.Of(root)}, not a dict");
        }
        if (top.TryGetValue(StateDictKey, out var stateDict))
        {
            if (stateDict is not PickleDict tensors)
            {
                throw new CheckpointFormatException(filePath, $"'{StateDictKey}' is a {PickleTypeNames.Of(stateDict)}, not a dict of tensors");
            }
            var others = top.Entries.Where(e => !(e.Key is string key && key == StateDictKey)).ToList();
            return new StateDictSelection(TensorsOf(tensors, filePath, $"'{StateDictKey}'"), others);
        }
        return new StateDictSelection(TensorsOf(top, filePath, "the checkpoint (no 'state_dict' entry, so read as a flat state_dict)"), []);
    }

    private static List<KeyValuePair<string, PickledTensor>> TensorsOf(PickleDict dict, string filePath, string what)
    {
        var result = new List<KeyValuePair<string, PickledTensor>>(dict.Count);
        foreach (var (key, value) in dict.Entries)
        {
            if (key is not string name)
            {
                throw new CheckpointFormatException(filePath, $"{what} has a key of type {PickleTypeNames.Of(key)}; state_dict keys are str");
            }
            if (value is not PickledTensor tensor)
            {
                throw new CheckpointFormatException(filePath, $"{what}: entry '{name}' is a {PickleTypeNames.Of(value)}, not a tensor");
            }
            result.Add(new(name, tensor));
        }
        return result;
    }
}
