using System.Numerics;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Equality of dict keys as <see cref="PickleDict"/> allows them: scalars by value, bytes by content,
/// flat tuples item by item. (Python's 1 == 1.0 == True is not reproduced: keys of different types differ.)
/// </summary>
internal sealed class PickleKeyComparer : IEqualityComparer<object>
{
    public static PickleKeyComparer Instance { get; } = new();

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }
        return (x, y) switch
        {
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (PickleTuple a, PickleTuple b) => a.Count == b.Count && a.Items.Zip(b.Items).All(p => Equals(p.First ?? PickleNone.Key, p.Second ?? PickleNone.Key)),
            (BigInteger a, BigInteger b) => a == b,
            _ => x is not null && x.Equals(y),
        };
    }

    public int GetHashCode(object obj)
    {
        switch (obj)
        {
            case byte[] bytes:
                var hash = new HashCode();
                hash.AddBytes(bytes);
                return hash.ToHashCode();
            case PickleTuple tuple:
                var combined = new HashCode();
                foreach (var item in tuple.Items)
                {
                    combined.Add(item is null ? 0 : GetHashCode(item));
                }
                return combined.ToHashCode();
            default:
                return obj.GetHashCode();
        }
    }
}
