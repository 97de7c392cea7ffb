namespace Matryoshka.ImageSharp;

/// <summary>
/// A tensor cannot become an image (or a set of images cannot become a grid): wrong shape, wrong
/// dtype, NaN values or mismatched levels.
/// </summary>
public sealed class ImageTensorException : MatryoshkaException
{
    /// <summary>Creates an exception with a message that names the problem.</summary>
    public ImageTensorException(string message) : base(message) { }
}
