namespace Matryoshka.ImageSharp;

/// <summary>An image file or stream was refused by <see cref="SafeImageDecoder"/>; the message names the source and the reason.</summary>
public sealed class ImageDecodeException : MatryoshkaException
{
    /// <summary>Creates an exception for <paramref name="sourceName"/> refused for <paramref name="failure"/>.</summary>
    public ImageDecodeException(string sourceName, ImageDecodeFailure failure, string reason)
        : base(Describe(sourceName, reason))
    {
        SourceName = sourceName;
        Failure = failure;
        Reason = reason;
    }

    /// <summary>Creates an exception for <paramref name="sourceName"/> caused by an ImageSharp or I/O error.</summary>
    public ImageDecodeException(string sourceName, ImageDecodeFailure failure, string reason, Exception innerException)
        : base(Describe(sourceName, reason), innerException)
    {
        SourceName = sourceName;
        Failure = failure;
        Reason = reason;
    }

    /// <summary>The file path or stream name that was refused.</summary>
    public string SourceName { get; }

    /// <summary>Why it was refused, without the source name (e.g. "it is empty (0 bytes).").</summary>
    public string Reason { get; }

    /// <summary>The kind of refusal.</summary>
    public ImageDecodeFailure Failure { get; }

    private static string Describe(string sourceName, string reason) => $"Cannot decode image '{sourceName}': {reason}";
}
