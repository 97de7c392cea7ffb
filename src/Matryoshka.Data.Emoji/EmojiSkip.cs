namespace Matryoshka.Data.Emoji;

/// <summary>An emoji that was left out, why, and the detail to show the user.</summary>
/// <param name="Entry">The file stem, or <c>entry #N</c> when the catalog entry was too broken to have one.</param>
/// <param name="Reason">The kind of problem.</param>
/// <param name="Detail">A one-line explanation.</param>
public sealed record EmojiSkip(string Entry, EmojiSkipReason Reason, string Detail);
