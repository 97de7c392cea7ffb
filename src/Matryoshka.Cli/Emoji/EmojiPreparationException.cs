namespace Matryoshka.Cli.Emoji;

/// <summary>The preparation was refused before anything was written: bad options or an output folder it must not touch.</summary>
public sealed class EmojiPreparationException : MatryoshkaException
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public EmojiPreparationException(string message) : base(message) { }
}
