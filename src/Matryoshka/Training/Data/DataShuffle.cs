namespace Matryoshka.Training.Data;

/// <summary>
/// The data stream's randomness, every value a pure function of its arguments: epoch permutations (Fisher–Yates
/// driven by <see cref="SplitMix64"/>) and caption choices. Changing anything here changes every resumed run.
/// </summary>
public static class DataShuffle
{
    private const ulong PermutationDomain = 0x7065726D75746531; // "permute1"
    private const ulong CaptionDomain = 0x63617074696F6E31;     // "caption1"

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the <paramref name="count"/> samples.</summary>
    public static int[] Permutation(int count, ulong seed, long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        var random = new SplitMix64(SplitMix64.Derive(PermutationDomain, seed, (ulong)epoch));
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.NextBelow(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Which of <paramref name="captionCount"/> captions the sample at (<paramref name="epoch"/>, <paramref name="offset"/>) uses.</summary>
    public static int CaptionChoice(int captionCount, ulong seed, long epoch, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(captionCount);
        if (captionCount == 1)
            return 0;
        var random = new SplitMix64(SplitMix64.Derive(CaptionDomain, seed, (ulong)epoch, (ulong)offset));
        return random.NextBelow(captionCount);
    }
}
