namespace Matryoshka.Cli.Evaluation;

/// <summary>One real image of the evaluation set: its file, its pixels ([3, H, W], standard range) and its first caption.</summary>
internal sealed record CaptionedImage(string Path, float[] Pixels, int Size, string Caption);
