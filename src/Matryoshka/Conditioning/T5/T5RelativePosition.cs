using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// The encoder's (bidirectional) relative-position buckets, as transformers' <c>T5Attention._relative_position_bucket</c>
/// computes them: half of the buckets for keys after the query, half for the rest; within each half, distances below
/// a quarter of the buckets get a bucket each, longer ones share logarithmically wider buckets up to
/// <c>max_distance</c>, beyond which all fall in the last.
/// </summary>
internal static class T5RelativePosition
{
    /// <summary>Bucket of every (query, key) pair: [queryLength, keyLength] int64, row = query.</summary>
    public static Tensor Buckets(long queryLength, long keyLength, int numBuckets, int maxDistance, Device device)
    {
        using var scope = NewDisposeScope();
        var query = arange(queryLength, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var key = arange(keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var relative = key.sub(query);

        int half = numBuckets / 2;
        int maxExact = half / 2;
        using var zero = 0L.ToScalar();
        using var halfScalar = ((long)half).ToScalar();
        using var maxExactLong = ((long)maxExact).ToScalar();
        using var maxExactFloat = ((double)maxExact).ToScalar();
        using var logRange = Math.Log((double)maxDistance / maxExact).ToScalar();
        using var logBuckets = ((long)(half - maxExact)).ToScalar();
        using var lastBucket = ((long)(half - 1)).ToScalar();

        var direction = relative.gt(zero).to(ScalarType.Int64).mul(halfScalar);
        var distance = relative.abs();
        var isSmall = distance.lt(maxExactLong);
        // Computed in float32 and truncated, as upstream; log(0) on the diagonal is masked by isSmall.
        var large = distance.to(ScalarType.Float32).div(maxExactFloat).log().div(logRange).mul(logBuckets)
            .to(ScalarType.Int64).add(maxExactLong).clamp_max(lastBucket);
        return direction.add(where(isSmall, distance, large), T5Scalars.OneInteger).MoveToOuterDisposeScope();
    }
}
