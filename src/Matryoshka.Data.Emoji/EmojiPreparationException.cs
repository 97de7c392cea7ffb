namespace Matryoshka.Data.Emoji;

/// <summary>
/// A preparation was refused before anything was written: an option is invalid, or a folder it names must not be
/// used (an output folder that holds other files, a reference folder that is no emoji set). The message starts with
/// the option's name, e.g. <c>Resolution must be between 8 and 1024; got 4</c>.
/// </summary>
public sealed class EmojiPreparationException : MatryoshkaException
{
    /// <summary>Creates the exception; <paramref name="rest"/> continues the message after the option's name.</summary>
    internal EmojiPreparationException(string option, string rest) : base(option + rest) => Option = option;

    /// <summary>The options property at fault, e.g. <c>Resolution</c> or <c>OutputFolder</c>.</summary>
    public string Option { get; }
}
