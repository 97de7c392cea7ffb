namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// Token ids of several captions padded to one length, with the attention mask ml-mdm derives from them
/// (<c>ids != &lt;pad&gt;</c>). Both arrays are [captions, length].
/// </summary>
public sealed class TokenBatch
{
    private TokenBatch(long[,] ids, long[,] mask)
    {
        Ids = ids;
        Mask = mask;
    }

    /// <summary>The ids, [captions, length]; padding is the pad id.</summary>
    public long[,] Ids { get; }

    /// <summary>1 where <see cref="Ids"/> is not the pad id, 0 where it is, [captions, length].</summary>
    public long[,] Mask { get; }

    /// <summary>Number of captions.</summary>
    public int Count => Ids.GetLength(0);

    /// <summary>Ids per caption after padding and truncation.</summary>
    public int Length => Ids.GetLength(1);

    /// <summary>
    /// Pads <paramref name="sequences"/> with <paramref name="padId"/> to min(longest, <paramref name="maxTokenLength"/>)
    /// and cuts longer ones to that many ids (ml-mdm's <c>process_text</c>).
    /// </summary>
    public static TokenBatch Create(IReadOnlyList<IReadOnlyList<int>> sequences, int padId, int maxTokenLength = MlMdmTokenizer.DefaultMaxTokenLength)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokenLength);
        var longest = 0;
        foreach (var sequence in sequences)
        {
            ArgumentNullException.ThrowIfNull(sequence, nameof(sequences));
            longest = Math.Max(longest, sequence.Count);
        }
        var length = Math.Min(longest, maxTokenLength);
        var ids = new long[sequences.Count, length];
        var mask = new long[sequences.Count, length];
        for (var row = 0; row < sequences.Count; row++)
        {
            var sequence = sequences[row];
            for (var column = 0; column < length; column++)
            {
                var id = column < sequence.Count ? sequence[column] : padId;
                ids[row, column] = id;
                mask[row, column] = id == padId ? 0 : 1;
            }
        }
        return new TokenBatch(ids, mask);
    }
}
