namespace Matryoshka.Data.Emoji;

/// <summary>What <see cref="EmojiDatasetPreparation"/> wrote and what it left out.</summary>
/// <param name="OutputFolder">The folder written.</param>
/// <param name="Package">The package described for people, e.g. <c>emoji-datasource-google 16.0.0</c>.</param>
/// <param name="Resolution">Side of the images written.</param>
/// <param name="WrittenByCategory">Emoji written per catalog category, ordered by category name.</param>
/// <param name="WrittenStems">The file stems written (each a <c>.png</c> and a <c>.txt</c>), in file-name order.</param>
/// <param name="Skipped">Emoji that produced no image, in file-name order (catalog problems first).</param>
/// <param name="SkinToneVariantsLeftOut">Skin-tone variants not written because skin tones were not asked for (0 with <see cref="EmojiPreparationOptions.Only"/>).</param>
/// <param name="SkinToneSwatchesLeftOut">Skin-tone swatches (Component category) not written for the same reason.</param>
public sealed record EmojiPreparationResult(
    string OutputFolder,
    string Package,
    int Resolution,
    IReadOnlyDictionary<string, int> WrittenByCategory,
    IReadOnlyList<string> WrittenStems,
    IReadOnlyList<EmojiSkip> Skipped,
    int SkinToneVariantsLeftOut,
    int SkinToneSwatchesLeftOut)
{
    /// <summary>Emoji written (each one PNG and one caption file).</summary>
    public int Written => WrittenStems.Count;
}
