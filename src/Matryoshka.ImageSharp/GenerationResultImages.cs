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

    /// <summary>The file names <see cref="SaveAllAsPng"/> writes for <paramref name="count"/> images.</summary>
    public static IReadOnlyList<string> NumberedPaths(string path, int count)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (count == 1) return new[] { path };
        string stem = Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path));
        return Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{stem}-{i}{Path.GetExtension(path)}")).ToArray();
    }
}
