using System.Globalization;
using Matryoshka.Pipelines;

namespace Matryoshka.ImageSharp;

/// <summary>Saves a <see cref="GenerationResult"/> in the pixel convention of the model that made it.</summary>
public static class GenerationResultImages
{
    /// <summary>
    /// Writes image <paramref name="index"/> of the result to <paramref name="path"/> as PNG, converted with the
    /// result's own <see cref="GenerationResult.Pixels"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an image of the result.</exception>
    public static void SaveAsPng(this GenerationResult result, string path, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, (int)result.Images.shape[0]);
        PngFiles.SaveAsPng(result.Images[index], path, result.Pixels);
    }

    /// <summary>
    /// Writes every image of the result: <paramref name="path"/> itself for one image, otherwise
    /// <c>name-0.png</c>, <c>name-1.png</c>, …; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> SaveAllAsPng(this GenerationResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        var paths = NumberedPaths(path, (int)result.Images.shape[0]);
        for (int i = 0; i < paths.Count; i++) result.SaveAsPng(paths[i], i);
        return paths;
    }

    /// <summary>A grid of every level of every image (see <see cref="LevelGrid"/>), in the result's pixel convention.</summary>
    public static void SaveLevelGridAsPng(this GenerationResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var grid = LevelGrid.Compose(result.Levels, result.Pixels);
        PngFiles.SaveAsPng(grid, path);
    }

    /// <summary>
    /// Writes every clip of a video result as an animated GIF (<see cref="ClipFiles.SaveAsGif"/>): <paramref name="path"/>
    /// itself for one clip, otherwise numbered like <see cref="SaveAllAsPng"/>; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> SaveClipsAsGif(this GenerationResult result, string path, int frameDelayMilliseconds = 250, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(result);
        var paths = NumberedPaths(path, (int)result.Images.shape[0]);
        for (int i = 0; i < paths.Count; i++)
        {
            using var clip = result.Clip(i);
            ClipFiles.SaveAsGif(clip, paths[i], result.Pixels, frameDelayMilliseconds, scale);
        }
        return paths;
    }

    /// <summary>Writes every clip of a video result as a PNG strip of its frames (<see cref="ClipFiles.SaveStripAsPng"/>), numbered like <see cref="SaveAllAsPng"/>.</summary>
    public static IReadOnlyList<string> SaveClipStripsAsPng(this GenerationResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        var paths = NumberedPaths(path, (int)result.Images.shape[0]);
        for (int i = 0; i < paths.Count; i++)
        {
            using var clip = result.Clip(i);
            ClipFiles.SaveStripAsPng(clip, paths[i], result.Pixels);
        }
        return paths;
    }

    /// <summary>
    /// Writes what the result holds: every image as PNG (<see cref="SaveAllAsPng"/>), or for a video model every clip
    /// as a PNG strip at <paramref name="path"/> and an animated GIF beside it (same name, <c>.gif</c>), frames enlarged
    /// to at least 128 pixels. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> SaveOutputs(this GenerationResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.IsVideo) return result.SaveAllAsPng(path);
        int scale = Math.Clamp(128 / (int)Math.Max(1, result.Images.shape[2] / result.FrameGrid), 1, 16);
        return result.SaveClipStripsAsPng(path).Concat(result.SaveClipsAsGif(Path.ChangeExtension(path, ".gif"), scale: scale)).ToArray();
    }

    /// <summary>
    /// The files <see cref="SaveOutputs"/> writes for <paramref name="count"/> images or clips: the numbered PNGs, and
    /// for clips the GIFs beside them.
    /// </summary>
    public static IReadOnlyList<string> OutputPaths(string path, bool video, int count = 1)
    {
        var pngs = NumberedPaths(path, count);
        return video ? pngs.Concat(NumberedPaths(Path.ChangeExtension(path, ".gif"), count)).ToArray() : pngs;
    }

    /// <summary>The file names <see cref="SaveAllAsPng"/> writes for <paramref name="count"/> images.</summary>
    public static IReadOnlyList<string> NumberedPaths(string path, int count)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (count == 1) return new[] { path };
        string stem = Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path));
        return Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{stem}-{i}{Path.GetExtension(path)}")).ToArray();
    }
}
