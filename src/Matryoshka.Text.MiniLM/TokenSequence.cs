namespace Matryoshka.Text.MiniLM;

/// <summary>
/// Token ids compared by value: the cache key. Keying on tokens rather than prompt text bounds each key's size by the
/// token limit (a megabyte-long prompt is not kept alive) and lets prompts that tokenize alike share one entry.
/// </summary>
internal readonly struct TokenSequence : IEquatable<TokenSequence>
{
    private readonly int _hash;

    public TokenSequence(int[] ids)
    {
        Ids = ids;
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan()));
        _hash = hash.ToHashCode();
    }

    public int[] Ids { get; }

    public int Length => Ids.Length;

    public bool Equals(TokenSequence other) => _hash == other._hash && Ids.AsSpan().SequenceEqual(other.Ids);

    public override bool Equals(object? obj) => obj is TokenSequence other && Equals(other);

    public override int GetHashCode() => _hash;
}
