using System.Numerics;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A Python dict (or OrderedDict) in insertion order. Keys are limited to what checkpoints use —
/// str, int, float, bool, None, bytes and flat tuples of those — which keeps hashing and equality
/// cheap however the pickle is built.
/// </summary>
internal sealed class PickleDict
{
    private readonly OrderedDictionary<object, object?> _entries = new(PickleKeyComparer.Instance);

    public int Count => _entries.Count;

    /// <summary>Entries in insertion order; None keys appear as <see cref="PickleNone.Key"/>.</summary>
    public IEnumerable<KeyValuePair<object, object?>> Entries => _entries;

    /// <summary>Python's <c>d[key] = value</c>: a new key goes last, an existing key keeps its place.</summary>
    /// <returns>An error message when the key type is not supported; null on success.</returns>
    public string? TrySet(object? key, object? value)
    {
        var normalized = key ?? PickleNone.Key;
        if (!IsSupportedKey(normalized, allowTuple: true))
        {
            return $"a dict key of type {PickleTypeNames.Of(key)} is not supported (only str, int, float, bool, None, bytes and flat tuples of those)";
        }
        _entries[normalized] = value;
        return null;
    }

    public bool TryGetValue(string key, out object? value) => _entries.TryGetValue(key, out value);

    /// <summary>
    /// The work of hashing and comparing <paramref name="key"/>, which grows with its length: charged to
    /// the object budget on every insertion, because .NET does not cache string hashes and a pickle can
    /// reuse one long key (through the memo) for any number of insertions.
    /// </summary>
    public static long KeyCost(object? key) => key switch
    {
        string text => 1 + text.Length,
        byte[] bytes => 1 + bytes.Length,
        PickleTuple tuple => 1 + tuple.Items.Sum(item => item is PickleTuple ? 1 : KeyCost(item)),
        _ => 1,
    };

    private static bool IsSupportedKey(object key, bool allowTuple) => key switch
    {
        string or long or BigInteger or double or bool or PickleNone or byte[] => true,
        PickleTuple tuple when allowTuple => tuple.Items.All(item => IsSupportedKey(item ?? PickleNone.Key, allowTuple: false)),
        _ => false,
    };
}
