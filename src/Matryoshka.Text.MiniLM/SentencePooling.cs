namespace Matryoshka.Text.MiniLM;

/// <summary>
/// sentence-transformers' sentence embedding for all-MiniLM-L6-v2: the mean of the token outputs over the real
/// tokens ([CLS] and [SEP] included), divided by its L2 norm.
/// </summary>
internal static class SentencePooling
{
    /// <summary>Pools <paramref name="tokens"/> (count × <paramref name="dim"/>, row-major) into <paramref name="destination"/>.</summary>
    public static void MeanNormalized(ReadOnlySpan<float> tokens, int dim, Span<float> destination)
    {
        int count = tokens.Length / dim;
        Span<double> sum = stackalloc double[dim];
        for (int t = 0; t < count; t++)
        {
            var row = tokens.Slice(t * dim, dim);
            for (int d = 0; d < dim; d++) sum[d] += row[d];
        }
        double squares = 0;
        for (int d = 0; d < dim; d++)
        {
            sum[d] /= count;
            squares += sum[d] * sum[d];
        }
        double norm = Math.Max(Math.Sqrt(squares), 1e-12);
        for (int d = 0; d < dim; d++) destination[d] = (float)(sum[d] / norm);
    }
}
