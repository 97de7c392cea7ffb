namespace Matryoshka.Data.Emoji;

/// <summary>One emoji (or one skin-tone variant of one) as described by <c>emoji.json</c>, already checked.</summary>
/// <param name="Stem">Output file stem: the unified code points in lower case, e.g. <c>1f34e</c> or <c>2764-fe0f</c>.</param>
/// <param name="Name">The name as the catalog spells it, e.g. <c>RED APPLE</c>.</param>
/// <param name="ShortNames">Short names, e.g. <c>apple</c>; a variant has its base emoji's.</param>
/// <param name="Category">Category, e.g. <c>Food &amp; Drink</c>.</param>
/// <param name="Subcategory">Subcategory, e.g. <c>food-fruit</c>.</param>
/// <param name="Image">Image file name inside the package's image folder, e.g. <c>1f34e.png</c>.</param>
/// <param name="HasGoogleImage">The catalog's <c>has_img_google</c> flag.</param>
/// <param name="SkinTone">For a skin-tone variant, the tone in words (<c>medium-dark skin tone</c>); null otherwise.</param>
internal sealed record EmojiRecord(
    string Stem,
    string Name,
    IReadOnlyList<string> ShortNames,
    string Category,
    string Subcategory,
    string Image,
    bool HasGoogleImage,
    string? SkinTone = null)
{
    /// <summary>True for the swatches of the Component/skin-tone subcategory (the five tone modifiers on their own).</summary>
    public bool IsSkinToneSwatch => Subcategory == "skin-tone";
}
