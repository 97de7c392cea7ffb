using Matryoshka.Training.Data;
using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>
/// What a viewer checks in a generated clip of an object on white: where the object is in each frame (the centroid
/// of its darkness), whether it moved the way the caption says, and whether every frame still shows the same object.
/// </summary>
public static class ClipScores
{
    /// <summary>
    /// The centroid (x right, y down, in pixels) of each frame's darkness, (1 − mean over channels) / 2 for values in
    /// [−1, 1] with white 1; the frame centre for an all-white frame. <paramref name="frames"/> is [F, C, h, w].
    /// </summary>
    public static (double X, double Y)[] Centroids(Tensor frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.dim() != 4) throw new ArgumentException($"Frames must be [F, C, h, w]; got [{string.Join(", ", frames.shape)}].", nameof(frames));
        using var scope = NewDisposeScope();
        long height = frames.shape[2], width = frames.shape[3];
        var mass = ((1 - frames.to(ScalarType.Float64).mean(new long[] { 1 })) / 2).clamp_min(0);   // [F, h, w]
        var ys = arange(height, dtype: ScalarType.Float64).view(1, height, 1);
        var xs = arange(width, dtype: ScalarType.Float64).view(1, 1, width);
        var total = mass.sum(new long[] { 1, 2 });
        var x = ((mass * xs).sum(new long[] { 1, 2 }) / total).data<double>().ToArray();
        var y = ((mass * ys).sum(new long[] { 1, 2 }) / total).data<double>().ToArray();
        return x.Select((value, i) => double.IsFinite(value) ? (value, y[i]) : ((width - 1) / 2.0, (height - 1) / 2.0)).ToArray();
    }

    /// <summary>
    /// Whether the clip moves as a translation <paramref name="motion"/> says: its centroid travels from the first frame
    /// to the last at least <paramref name="minimumPixels"/> along the motion's axis, in its direction, and further
    /// along that axis than across it. Null for motions that are not translations.
    /// </summary>
    public static bool? MovesAs(ClipMotion motion, Tensor frames, double minimumPixels = 1)
    {
        if (ClipMotions.Direction(motion) is not { } direction) return null;
        var track = Centroids(frames);
        double dx = track[^1].X - track[0].X, dy = track[^1].Y - track[0].Y;
        double along = direction.X * dx + direction.Y * dy, across = Math.Abs(direction.Y * dx - direction.X * dy);
        return along >= minimumPixels && along > across;
    }

    /// <summary>
    /// Per-frame retrieval of the clip's object: the share of frames whose nearest gallery entry (cosine) is the first
    /// frame's, and the share whose top <paramref name="k"/> holds <paramref name="correct"/>, the gallery entry of the
    /// object the caption names.
    /// </summary>
    public static (double AgreeWithFirst, double CorrectInTopK) FrameRetrieval(IReadOnlyList<float[]> frames, IReadOnlyList<float[]> gallery, int correct, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(gallery);
        var score = CaptionRetrieval.Score(frames, gallery, Enumerable.Repeat(correct, frames.Count).ToArray(), k);
        var nearest = frames.Select(f => CaptionRetrieval.Nearest(f, gallery)).ToArray();
        return (nearest.Count(n => n == nearest[0]) / (double)frames.Count, score.TopK);
    }
}
