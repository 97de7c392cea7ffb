using Matryoshka.Training.Data;

namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// Captions from the text file next to an image (<c>photo.png</c> → <c>photo.txt</c>): one caption per non-empty line,
/// trimmed. No file means no captions.
/// </summary>
internal static class SidecarCaptions
{
    /// <summary>Largest accepted caption file.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string PathFor(string imagePath) => Path.ChangeExtension(imagePath, ".txt");

    /// <exception cref="InvalidTrainingSampleException">The caption file is too large or cannot be read.</exception>
    public static IReadOnlyList<string> Read(int index, string imagePath)
    {
        var path = PathFor(imagePath);
        try
        {
            if (!File.Exists(path))
                return [];
            // Read at most one byte past the limit: the length a file system reports cannot be trusted (a link to a
            // device reports 0 and never ends).
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var contents = new MemoryStream();
            var chunk = new byte[4096];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                if (contents.Length + read > MaxBytes)
                    throw new InvalidTrainingSampleException(index, imagePath,
                        $"its caption file '{path}' is larger than the {MaxBytes}-byte limit.")
                    { Category = SkipCategories.CaptionTooLarge };
                contents.Write(chunk, 0, read);
            }
            contents.Position = 0;
            // Strict UTF-8: an invalid byte would otherwise become U+FFFD and the caption trained on silently changed.
            using var text = new StreamReader(contents, StrictUtf8, detectEncodingFromByteOrderMarks: true);
            return Parse(text.ReadToEnd());
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new InvalidTrainingSampleException(index, imagePath,
                $"its caption file '{path}' is not valid UTF-8 (byte {e.Index} of a line: {Convert.ToHexString(e.BytesUnknown ?? [])}).", e)
            { Category = SkipCategories.CaptionNotUtf8 };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidTrainingSampleException(index, imagePath, $"its caption file '{path}' cannot be read ({e.Message}).", e)
            { Category = SkipCategories.CaptionUnreadable };
        }
    }

    public static IReadOnlyList<string> Parse(string text) =>
        text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
}
