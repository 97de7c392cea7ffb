namespace Matryoshka.Extensions.AI;

/// <summary>
/// An image generation request asks for something this model cannot do (a size it does not draw, image editing, a
/// media type other than PNG) or carries an option value of the wrong kind. <see cref="Option"/> names the option.
/// </summary>
public sealed class UnsupportedImageRequestException : MatryoshkaException
{
    /// <summary>Creates the exception for <paramref name="option"/> with a message that says what to do instead.</summary>
    public UnsupportedImageRequestException(string option, string message) : base($"{option}: {message}") => Option = option;

    /// <summary>The request or options member at fault, e.g. <c>ImageSize</c> or <c>AdditionalProperties["seed"]</c>.</summary>
    public string Option { get; }
}
