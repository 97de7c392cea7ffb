namespace Matryoshka.Data.Emoji.Svg;

/// <summary>One emoji's result in the SVG preparation: one line of <c>faithfulness.tsv</c>.</summary>
/// <param name="Stem">The emoji's file stem (code points), e.g. <c>1f34e</c>.</param>
/// <param name="IconName">The Iconify icon it maps to, when <c>chars.json</c> has one.</param>
/// <param name="Difference">Mean absolute difference (0–255) of the pooled render against the reference image, when rendered.</param>
/// <param name="RendererDifference">Mean absolute difference (0–255) between the two renderers at full size, when a comparison renderer was given.</param>
/// <param name="Decision">Kept or why not.</param>
/// <param name="Detail">A one-line explanation (empty for kept emoji).</param>
public sealed record SvgEmojiOutcome(
    string Stem, string? IconName, double? Difference, double? RendererDifference, SvgEmojiDecision Decision, string Detail);
