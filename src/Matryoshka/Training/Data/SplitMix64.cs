namespace Matryoshka.Training.Data;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator: a tiny, fully specified PRNG, so every shuffle and choice made
/// with it is the same on every .NET version and machine (unlike <see cref="Random"/>, whose algorithm is unspecified).
/// </summary>
internal struct SplitMix64
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        _state += Golden;
        return Finalize(_state);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias (rejection of the short tail).</summary>
    public int NextBelow(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong n = (ulong)bound;
        ulong threshold = (0UL - n) % n; // 2⁶⁴ mod n: values below it would favour small results.
        while (true)
        {
            ulong r = Next();
            if (r >= threshold)
                return (int)(r % n);
        }
    }

    /// <summary>
    /// A seed derived from <paramref name="domain"/> and <paramref name="values"/> in order: each step XORs the next
    /// value into the state and mixes it. Different domains give unrelated streams for the same values.
    /// </summary>
    public static ulong Derive(ulong domain, params ReadOnlySpan<ulong> values)
    {
        ulong h = Finalize(domain + Golden);
        foreach (var v in values)
            h = Finalize((h ^ v) + Golden);
        return h;
    }

    /// <summary>SplitMix64's output function (a variant of MurmurHash3's 64-bit finaliser).</summary>
    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
