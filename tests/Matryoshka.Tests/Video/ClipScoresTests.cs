using Matryoshka.Evaluation;
using Matryoshka.Training.Data;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Video;

/// <summary>The clip scores against clips whose answers are known.</summary>
public class ClipScoresTests
{
    private static Tensor Dot(int x, int y)
    {
        var frame = ones(3, 16, 16);
        frame[.., y, x] = tensor(-1f);
        return frame;
    }

    [Fact]
    public void The_centroid_is_the_dark_pixels_position_and_an_empty_frame_the_centre()
    {
        using var scope = NewDisposeScope();
        var track = ClipScores.Centroids(stack(new[] { Dot(3, 5), Dot(10, 2), ones(3, 16, 16) }));

        Assert.Equal(new[] { (3.0, 5.0), (10.0, 2.0), (7.5, 7.5) }, track);
    }

    [Fact]
    public void A_clip_moves_as_its_caption_says_only_along_the_named_axis_and_direction()
    {
        using var scope = NewDisposeScope();
        var right = stack(new[] { Dot(4, 8), Dot(6, 8), Dot(9, 9) });
        var still = stack(new[] { Dot(4, 8), Dot(4, 8) });

        Assert.True(ClipScores.MovesAs(ClipMotion.Right, right));
        Assert.False(ClipScores.MovesAs(ClipMotion.Left, right));
        Assert.False(ClipScores.MovesAs(ClipMotion.Down, right));   // 1 px down, 5 px across
        Assert.False(ClipScores.MovesAs(ClipMotion.Right, still));
        Assert.Null(ClipScores.MovesAs(ClipMotion.Spinning, right));
    }

    [Fact]
    public void Frame_retrieval_counts_frames_that_agree_with_the_first_and_find_the_captioned_item()
    {
        var gallery = new[] { new float[] { 1, 0, 0 }, new float[] { 0, 1, 0 }, new float[] { 0, 0, 1 } };
        var frames = new[] { new float[] { 0.9f, 0.1f, 0 }, new float[] { 1, 0.2f, 0 }, new float[] { 0, 1, 0.1f }, new float[] { 0.8f, 0, 0.1f } };

        var (agree, top1) = ClipScores.FrameRetrieval(frames, gallery, correct: 0, k: 1);

        Assert.Equal(0.75, agree);
        Assert.Equal(0.75, top1);
    }
}
