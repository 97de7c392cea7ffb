using System.Globalization;
using Matryoshka.Evaluation;
using Matryoshka.ImageSharp;
using Matryoshka.Training.Plotting;
using SixLabors.ImageSharp;

namespace Matryoshka.Training.Experiments;

/// <summary>
/// Sample grids at equal steps: for every evaluated step, one SVG with a row per arm and seed (the baseline arm first,
/// then the others in the order they first appear in results.csv; seeds in order) showing the first images its
/// evaluation generated. Every row answers the same captions with the same noise seeds,
/// so the rows differ only by the model. The samples are embedded as PNG data (one <c>image</c> element, class
/// <c>sample</c>, each), so a grid stays whole when copied away from the run folders.
/// </summary>
internal static class ExperimentSampleGrids
{
    private const int Gutter = 2, Margin = 4, TextHeight = 12;
    private static readonly SafeImageDecoder Decoder = new();

    /// <summary>
    /// Writes <c>samples-step&lt;N&gt;.svg</c> into <paramref name="outputFolder"/> for every step at which some evaluated
    /// row has its first <paramref name="count"/> images in <paramref name="experimentFolder"/>'s run folders (rows
    /// without them, such as a progressive run's low-resolution stage, are left out); returns the files written.
    /// </summary>
    /// <param name="rows">results.csv's rows.</param>
    /// <param name="experimentFolder">The experiment's output folder (holding results.csv and runs/).</param>
    /// <param name="outputFolder">Where the grids go.</param>
    /// <param name="count">Images per row: the first <paramref name="count"/> evaluation captions.</param>
    /// <param name="baseline">The arm drawn in the top rows (the others follow in order of first appearance).</param>
    /// <exception cref="ExperimentSpecException">A sample differs in size from the first one of its grid.</exception>
    /// <exception cref="ImageDecodeException">A sample is not a readable image.</exception>
    public static IReadOnlyList<string> Write(IReadOnlyList<ExperimentResult> rows, string experimentFolder, string outputFolder, int count,
        string? baseline = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var written = new List<string>();
        var armOrder = rows.Select(r => r.Arm).Distinct().OrderBy(arm => arm != baseline).ToList(); // stable: the rest keep their order
        foreach (var step in rows.Select(r => r.Step).Distinct().Order())
        {
            var lines = rows.Where(r => r.Step == step && r.FdResNet18 is not null)
                .OrderBy(r => armOrder.IndexOf(r.Arm)).ThenBy(r => r.Seed)
                .Select(r => (Label: string.Create(CultureInfo.InvariantCulture, $"{r.Arm} seed {r.Seed}"), Files: SampleFiles(experimentFolder, r, count)))
                .Where(line => line.Files.All(File.Exists))
                .ToArray();
            if (lines.Length == 0) continue;
            Directory.CreateDirectory(outputFolder);
            var path = Path.Combine(outputFolder, string.Create(CultureInfo.InvariantCulture, $"samples-step{step}.svg"));
            Draw(lines, string.Create(CultureInfo.InvariantCulture, $"step {step}")).Save(path);
            written.Add(path);
        }
        return written;
    }

    private static string[] SampleFiles(string experimentFolder, ExperimentResult row, int count)
    {
        var folder = ExperimentRunner.SamplesFolder(ExperimentRunner.RunFolder(experimentFolder, row.Arm, row.Seed), row.Step);
        return Enumerable.Range(0, count).Select(i => Path.Combine(folder, GenerationEvaluation.SampleFileName(i))).ToArray();
    }

    private static SvgCanvas Draw(IReadOnlyList<(string Label, string[] Files)> lines, string title)
    {
        double labelWidth = Math.Ceiling(lines.Max(line => SvgCanvas.TextWidth(line.Label))) + 2 * Margin;
        const int TitleHeight = TextHeight + 2 * Margin;
        var samples = lines.Select(line => line.Files.Select(Png).ToArray()).ToArray();
        var (cellWidth, cellHeight, _) = samples[0][0];
        var grid = new SvgCanvas((int)labelWidth + lines[0].Files.Length * (cellWidth + Gutter), TitleHeight + lines.Count * (cellHeight + Gutter));
        grid.Text(title, Margin, Margin + TextHeight - 2, kind: "title");
        for (int row = 0; row < lines.Count; row++)
        {
            int y0 = TitleHeight + row * (cellHeight + Gutter);
            grid.Text(lines[row].Label, Margin, y0 + (cellHeight + TextHeight) / 2.0 - 2, kind: "label");
            for (int column = 0; column < samples[row].Length; column++)
            {
                var (width, height, png) = samples[row][column];
                if (width != cellWidth || height != cellHeight)
                    throw new ExperimentSpecException(lines[row].Files[column], $"is {width}×{height}; the grid's first sample is {cellWidth}×{cellHeight}.");
                grid.Png(png, labelWidth + column * (cellWidth + Gutter), y0, width, height, "sample");
            }
        }
        return grid;
    }

    // A sample decoded safely (size and format checked) and encoded again as PNG for embedding.
    private static (int Width, int Height, byte[] Png) Png(string file)
    {
        using var sample = Decoder.Load(file);
        using var png = new MemoryStream();
        sample.SaveAsPng(png);
        return (sample.Width, sample.Height, png.ToArray());
    }
}
