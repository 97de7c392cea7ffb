namespace Matryoshka.Evaluation;

/// <summary>One real image of an <see cref="EvaluationSet"/>.</summary>
/// <param name="Path">Its file.</param>
/// <param name="Pixels">Its pixels, [3, <paramref name="Size"/>, <paramref name="Size"/>] in the standard range (x/127.5 − 1).</param>
/// <param name="Size">Its side in pixels.</param>
/// <param name="Caption">Its first caption.</param>
public sealed record CaptionedImage(string Path, float[] Pixels, int Size, string Caption);
