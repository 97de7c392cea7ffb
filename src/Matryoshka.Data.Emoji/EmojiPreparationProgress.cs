namespace Matryoshka.Data.Emoji;

/// <summary>How far a preparation has got, reported after each emoji it has considered.</summary>
/// <param name="Considered">Emoji considered so far, written or not.</param>
/// <param name="Total">Emoji the preparation may consider; a <c>Limit</c> can end it earlier.</param>
/// <param name="Stem">The file stem of the emoji just considered, e.g. <c>1f34e</c>.</param>
public readonly record struct EmojiPreparationProgress(int Considered, int Total, string Stem);
