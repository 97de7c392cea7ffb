using Matryoshka.Training.Data;

namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// Captions from the text file next to an image (<c>photo.png</c> → <c>photo.txt</c>): one caption per non-empty line,
/// trimmed. No file means no captions.
/// </summary>
internal static class SidecarCaptions
{
    /// <summary>Largest accepted caption file.</summary>
    public const long MaxBytes = 1024 * 1024;

    public static string PathFor(string imagePath) => Path.ChangeExtension(imagePath, ".txt");

    /// <exception cref="InvalidTrainingSampleException">The caption file is too large or cannot be read.</exception>
    public static IReadOnlyList<string> Read(int index, string imagePath)
    {
        var path = PathFor(imagePath);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                return [];
            if (info.Length > MaxBytes)
                throw new InvalidTrainingSampleException(index, imagePath,
                    $"its caption file '{path}' is {info.Length} bytes, over the {MaxBytes}-byte limit.");
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidTrainingSampleException(index, imagePath, $"its caption file '{path}' cannot be read ({e.Message}).", e);
        }
    }

    public static IReadOnlyList<string> Parse(string text) =>
        text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
}
