namespace Matryoshka.Evaluation;

/// <summary>
/// Retrieval accuracy: for each query (a generated image's features), the rank of its correct gallery item (a real
/// image's features) among all gallery items by cosine similarity — cosine because it ignores the overall feature
/// magnitude, which tracks contrast more than content. Ties count against the query: every other item at least as
/// similar as the correct one ranks ahead of it.
/// </summary>
public static class CaptionRetrieval
{
    /// <summary>Scores <paramref name="queries"/> against <paramref name="gallery"/>; <paramref name="correct"/>[q] is query q's gallery index.</summary>
    /// <exception cref="FeatureSetException">Empty or mismatched feature sets, non-finite values.</exception>
    /// <exception cref="ArgumentException">A correct index is outside the gallery, or the counts differ.</exception>
    public static RetrievalScore Score(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> gallery, IReadOnlyList<int> correct, int k = 5)
    {
        FeatureSets.SameWidth(FeatureSets.Width(queries, nameof(queries), 1), FeatureSets.Width(gallery, nameof(gallery), 1), nameof(queries), nameof(gallery));
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (correct.Count != queries.Count) throw new ArgumentException($"{correct.Count} correct indices for {queries.Count} queries.", nameof(correct));

        var unitGallery = gallery.Select(Unit).ToArray();
        var ranks = new int[queries.Count];
        for (int q = 0; q < queries.Count; q++)
        {
            int target = correct[q];
            if (target < 0 || target >= gallery.Count) throw new ArgumentException($"correct[{q}] = {target} is outside the gallery of {gallery.Count}.", nameof(correct));
            var query = Unit(queries[q]);
            double own = Dot(query, unitGallery[target]);
            int ahead = 0;
            for (int g = 0; g < unitGallery.Length; g++)
                if (g != target && Dot(query, unitGallery[g]) >= own) ahead++;
            ranks[q] = ahead + 1;
        }
        return new RetrievalScore(ranks.Count(r => r == 1) / (double)ranks.Length, ranks.Count(r => r <= k) / (double)ranks.Length, k, ranks);
    }

    /// <summary>The index of the gallery item most similar to <paramref name="query"/> by cosine (the first of equals).</summary>
    internal static int Nearest(float[] query, IReadOnlyList<float[]> gallery)
    {
        var unit = Unit(query);
        int best = 0;
        double bestSimilarity = double.NegativeInfinity;
        for (int g = 0; g < gallery.Count; g++)
        {
            double similarity = Dot(unit, Unit(gallery[g]));
            if (similarity > bestSimilarity) (best, bestSimilarity) = (g, similarity);
        }
        return best;
    }

    private static double[] Unit(float[] vector)
    {
        double norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        return vector.Select(v => norm == 0 ? 0 : v / norm).ToArray();
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}

/// <summary>Retrieval accuracy: shares of queries whose correct item ranks first and within the top <paramref name="K"/>, and every rank (1-based).</summary>
public sealed record RetrievalScore(double Top1, double TopK, int K, IReadOnlyList<int> Ranks);
