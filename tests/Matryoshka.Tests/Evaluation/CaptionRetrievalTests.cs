using Matryoshka.Evaluation;
using Xunit;

namespace Matryoshka.Tests.Evaluation;

public class CaptionRetrievalTests
{
    // Four gallery directions; magnitudes differ to show that only the angle counts.
    private static readonly float[][] Gallery = { new[] { 1f, 0, 0 }, new[] { 0f, 5, 0 }, new[] { 0f, 0, 0.2f }, new[] { 1f, 1, 0 } };

    [Fact]
    public void Ranks_follow_cosine_similarity_and_give_top_1_and_top_k()
    {
        var queries = new[]
        {
            new[] { 2f, 0.1f, 0 },   // nearest 0, then 3 (cos 0.75), then 1
            new[] { 2f, 0.1f, 0 },   // the same image, but the caption was item 3: rank 2
            new[] { 0f, 0.1f, 3 },   // nearest 2; the caption was item 1: rank 2 (item 3 is less similar than item 1)
            new[] { 0f, 0, 1 },      // exactly item 2, correct
        };
        var score = CaptionRetrieval.Score(queries, Gallery, new[] { 0, 3, 1, 2 }, k: 2);
        Assert.Equal(new[] { 1, 2, 2, 1 }, score.Ranks);
        Assert.Equal((0.5, 1.0, 2), (score.Top1, score.TopK, score.K));

        Assert.Equal(0.5, CaptionRetrieval.Score(queries, Gallery, new[] { 0, 3, 1, 2 }, k: 1).TopK);
    }

    [Fact]
    public void Ties_count_against_the_query()
    {
        var gallery = new[] { new[] { 1f, 0 }, new[] { 2f, 0 }, new[] { 0f, 1 } }; // items 0 and 1 point the same way
        var score = CaptionRetrieval.Score(new[] { new[] { 1f, 0.2f } }, gallery, new[] { 0 });
        Assert.Equal(2, score.Ranks[0]);
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        var query = new[] { new[] { 1f, 0, 0 } };
        Assert.Throws<ArgumentException>(() => CaptionRetrieval.Score(query, Gallery, new[] { 4 }));
        Assert.Throws<ArgumentException>(() => CaptionRetrieval.Score(query, Gallery, new[] { 0, 1 }));
        Assert.Throws<FeatureSetException>(() => CaptionRetrieval.Score(new[] { new[] { 1f, 0 } }, Gallery, new[] { 0 }));
        Assert.Throws<FeatureSetException>(() => CaptionRetrieval.Score(Array.Empty<float[]>(), Gallery, Array.Empty<int>()));
    }
}
