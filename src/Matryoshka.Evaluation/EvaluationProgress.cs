namespace Matryoshka.Evaluation;

/// <summary>How far an evaluation's generation has come.</summary>
/// <param name="SetImages">Captioned images in the evaluation set.</param>
/// <param name="Skipped">Images of the folder left out of the set (unreadable, or without a caption).</param>
/// <param name="Generated">Images generated so far: 0 when the set is loaded and generation begins.</param>
/// <param name="Total">Images to generate.</param>
/// <param name="Elapsed">Wall time spent generating so far.</param>
public sealed record EvaluationProgress(int SetImages, int Skipped, int Generated, int Total, TimeSpan Elapsed)
{
    /// <summary>"file: reason" for each image left out of the set; given with the first report (<see cref="Generated"/> 0).</summary>
    public IReadOnlyList<string> SkippedSamples { get; init; } = [];
}
