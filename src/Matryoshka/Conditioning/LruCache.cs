namespace Matryoshka.Conditioning;

/// <summary>
/// A bounded map that forgets its least recently used entry when full. Thread-safe (one lock around every access).
/// The first value stored for a key stays until it is evicted, so every hit returns the very same value. Text encoders
/// keep their prompts' outputs in one (the T5 and MiniLM encoders do), so a repeated prompt skips the network.
/// </summary>
/// <typeparam name="TKey">What identifies an entry, e.g. a prompt's token ids.</typeparam>
/// <typeparam name="TValue">The cached value, e.g. the encoder's outputs for those tokens.</typeparam>
public sealed class LruCache<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> _entries;
    private readonly LinkedList<KeyValuePair<TKey, TValue>> _recency = new(); // most recent first
    private readonly Lock _lock = new();

    /// <summary>Creates an empty cache.</summary>
    /// <param name="capacity">The most entries it holds (at least 1).</param>
    /// <param name="comparer">Compares keys; the default comparer when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public LruCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _entries = new Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>>(comparer);
    }

    /// <summary>The most entries the cache holds.</summary>
    public int Capacity { get; }

    /// <summary>The entries it holds now.</summary>
    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>Finds <paramref name="key"/>'s value and marks it most recently used.</summary>
    /// <returns>Whether the key was cached.</returns>
    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>
    /// Stores <paramref name="value"/> unless the key is already present (evicting the least recently used entry when
    /// full); returns the value now cached, which is the earlier one for a key already present.
    /// </summary>
    public TValue GetOrAdd(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                _recency.Remove(existing);
                _recency.AddFirst(existing);
                return existing.Value.Value;
            }
            if (_entries.Count == Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
            _entries[key] = _recency.AddFirst(KeyValuePair.Create(key, value));
            return value;
        }
    }

    /// <summary>Forgets every entry.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recency.Clear();
        }
    }
}
