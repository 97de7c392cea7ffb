using Matryoshka.Training.Data;

namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// The <see cref="InvalidTrainingSampleException.Category"/> names of image datasets' refusals: what a training run's
/// checkpoint counts skipped samples under, so they must stay stable.
/// </summary>
internal static class SkipCategories
{
    public const string ImageTooElongated = "image too elongated";
    public const string CaptionTooLarge = "caption file too large";
    public const string CaptionNotUtf8 = "caption not UTF-8";
    public const string CaptionUnreadable = "caption unreadable";

    /// <summary>The category of an image the decoder refused.</summary>
    public static string Of(ImageDecodeFailure failure) => failure switch
    {
        ImageDecodeFailure.Unreadable => "image unreadable",
        ImageDecodeFailure.Empty => "image empty",
        ImageDecodeFailure.FileTooLarge => "image file too large",
        ImageDecodeFailure.UnsupportedFormat => "image format unsupported",
        ImageDecodeFailure.TooManyPixels => "image has too many pixels",
        ImageDecodeFailure.Corrupt => "image corrupt",
        ImageDecodeFailure.MemoryLimit => "image over the decoder's memory limit",
        _ => "image decode failed",
    };
}
