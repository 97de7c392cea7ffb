namespace Matryoshka.Data.Emoji.Svg;

/// <summary>One emoji of the low-resolution training set (a <c>prepare-emoji</c> output) that the SVG set follows.</summary>
/// <param name="Stem">The file stem, i.e. the code point sequence, e.g. <c>2764-fe0f</c>.</param>
/// <param name="IndexRow">The emoji's line of the reference <c>index.tsv</c>, copied as it is.</param>
/// <param name="ImagePath">The reference PNG.</param>
/// <param name="CaptionPath">The reference caption file, copied as it is.</param>
internal sealed record ReferenceEmoji(string Stem, string IndexRow, string ImagePath, string CaptionPath);
