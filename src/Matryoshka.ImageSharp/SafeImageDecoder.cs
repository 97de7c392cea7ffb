using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.ImageSharp;

/// <summary>
/// Decodes untrusted PNG and JPEG files into <see cref="Image{Rgb24}"/> (or another pixel type) with every limit checked first:
/// file size, then the pixel count declared in the header, then decoding under an allocation cap.
/// Other formats (GIF, TIFF, WebP, BMP…), where ImageSharp 2.x decoder advisories clustered, are refused.
/// Every failure is an <see cref="ImageDecodeException"/>.
/// </summary>
public sealed class SafeImageDecoder
{
    private readonly Configuration _configuration;

    /// <summary>Creates a decoder with <paramref name="options"/> (defaults when null).</summary>
    public SafeImageDecoder(SafeImageDecoderOptions? options = null)
    {
        Options = options ?? new SafeImageDecoderOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxPixels, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxFileBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.AllocationLimitMegabytes, nameof(options));

        // A private configuration: only PNG and JPEG are registered, and Configuration.Default stays untouched.
        _configuration = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                AllocationLimitMegabytes = Options.AllocationLimitMegabytes,
            }),
        };
    }

    /// <summary>The limits this decoder enforces.</summary>
    public SafeImageDecoderOptions Options { get; }

    /// <summary>Decodes the file at <paramref name="path"/>. The caller owns the image.</summary>
    /// <exception cref="ImageDecodeException">The file is missing, empty, too large, not PNG/JPEG, too many pixels, or corrupt.</exception>
    public Image<Rgb24> Load(string path) => Load<Rgb24>(path);

    /// <summary>
    /// Decodes the file at <paramref name="path"/> into pixels of type <typeparamref name="TPixel"/>, e.g.
    /// <see cref="Rgba32"/> to keep transparency. The caller owns the image.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file is missing, empty, too large, not PNG/JPEG, too many pixels, or corrupt.</exception>
    public Image<TPixel> Load<TPixel>(string path) where TPixel : unmanaged, IPixel<TPixel>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MemoryStream contents;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            contents = ReadBounded(file, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Unreadable, $"the file cannot be read ({e.Message}).", e);
        }
        using (contents)
            return Decode<TPixel>(contents, path);
    }

    /// <summary>Decodes the image in <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="ImageDecodeException">The stream is empty, too large, not PNG/JPEG, too many pixels, or corrupt.</exception>
    public Image<Rgb24> Load(Stream stream, string sourceName = "stream") => Load<Rgb24>(stream, sourceName);

    /// <summary>Decodes the image in <paramref name="stream"/> into pixels of type <typeparamref name="TPixel"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="ImageDecodeException">The stream is empty, too large, not PNG/JPEG, too many pixels, or corrupt.</exception>
    public Image<TPixel> Load<TPixel>(Stream stream, string sourceName = "stream") where TPixel : unmanaged, IPixel<TPixel>
    {
        ArgumentNullException.ThrowIfNull(stream);
        MemoryStream contents;
        try
        {
            contents = ReadBounded(stream, sourceName);
        }
        catch (IOException e)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Unreadable, $"the stream cannot be read ({e.Message}).", e);
        }
        using (contents)
            return Decode<TPixel>(contents, sourceName);
    }

    /// <summary>Copies at most <see cref="SafeImageDecoderOptions.MaxFileBytes"/> into memory, refusing larger or empty input.</summary>
    private MemoryStream ReadBounded(Stream source, string sourceName)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > Options.MaxFileBytes)
            {
                buffer.Dispose();
                throw new ImageDecodeException(sourceName, ImageDecodeFailure.FileTooLarge,
                    $"it is larger than the {Options.MaxFileBytes}-byte limit.");
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            buffer.Dispose();
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Empty, "it is empty (0 bytes).");
        }
        buffer.Position = 0;
        return buffer;
    }

    private Image<TPixel> Decode<TPixel>(MemoryStream contents, string sourceName) where TPixel : unmanaged, IPixel<TPixel>
    {
        try
        {
            // Pre-flight: read only the header and refuse before any pixel buffer exists.
            var info = Image.Identify(_configuration, contents);
            if (info is null)
                throw Unsupported(contents, sourceName);
            if (info.Width <= 0 || info.Height <= 0)
                throw new ImageDecodeException(sourceName, ImageDecodeFailure.Corrupt,
                    $"it declares {info.Width}×{info.Height} pixels; an image needs a positive width and height.");
            long pixels = (long)info.Width * info.Height;
            if (pixels > Options.MaxPixels)
                throw new ImageDecodeException(sourceName, ImageDecodeFailure.TooManyPixels,
                    $"it declares {info.Width}×{info.Height} = {pixels} pixels, over the {Options.MaxPixels}-pixel limit.");

            contents.Position = 0;
            return Image.Load<TPixel>(_configuration, contents);
        }
        catch (UnknownImageFormatException e)
        {
            throw Unsupported(contents, sourceName, e);
        }
        catch (InvalidImageContentException e) when (e.InnerException is InvalidMemoryOperationException memory)
        {
            // 2.x decoders wrap an allocation refusal as "possibly degenerate dimensions".
            throw MemoryLimit(sourceName, memory, e);
        }
        catch (InvalidImageContentException e)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Corrupt, $"the image data is invalid ({e.Message}).", e);
        }
        catch (ImageFormatException e)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Corrupt, $"the image is malformed ({e.Message}).", e);
        }
        catch (InvalidMemoryOperationException e)
        {
            throw MemoryLimit(sourceName, e, e);
        }
        catch (NotSupportedException e)
        {
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.UnsupportedFormat, $"the image uses an unsupported feature ({e.Message}).", e);
        }
        catch (EndOfStreamException e)
        {
            // Some 2.x decoders surface truncated data as a plain end-of-stream error.
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Corrupt, $"the image data ends early ({e.Message}).", e);
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or IndexOutOfRangeException or InvalidOperationException
                                       or NullReferenceException)
        {
            // Header values the decoders pass on unchecked (a zero or huge dimension) fail in ImageSharp's own guards;
            // the JPEG decoder's Identify dereferences a missing frame on some damaged files (found by ReaderFuzzTests).
            throw new ImageDecodeException(sourceName, ImageDecodeFailure.Corrupt, $"the decoder rejected the image ({e.Message}).", e);
        }
    }

    private ImageDecodeException MemoryLimit(string sourceName, InvalidMemoryOperationException memory, Exception cause) =>
        new(sourceName, ImageDecodeFailure.MemoryLimit,
            $"decoding needs more memory than the {Options.AllocationLimitMegabytes} MB allocation cap ({memory.Message}).", cause);

    private static ImageDecodeException Unsupported(MemoryStream contents, string sourceName, Exception? cause = null)
    {
        var header = contents.GetBuffer().AsSpan(0, (int)Math.Min(contents.Length, 16));
        string what = ImageSignatures.Describe(header) is { } format ? $"a {format} image" : "not a recognised image";
        string reason = $"it is {what}; only PNG and JPEG are accepted.";
        return cause is null
            ? new ImageDecodeException(sourceName, ImageDecodeFailure.UnsupportedFormat, reason)
            : new ImageDecodeException(sourceName, ImageDecodeFailure.UnsupportedFormat, reason, cause);
    }
}
