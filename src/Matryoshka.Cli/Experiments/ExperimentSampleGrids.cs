using System.Globalization;
using Matryoshka.Cli.Evaluation;
using Matryoshka.Cli.Plotting;
using Matryoshka.ImageSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Cli.Experiments;

/// <summary>
/// Sample grids at equal steps: for every evaluated step, one PNG with a row per arm and seed (the baseline arm first,
/// then the others in the order they first appear in results.csv; seeds in order) showing the first images its
/// evaluation generated. Every row answers the same captions with the same noise seeds,
/// so the rows differ only by the model.
/// </summary>
internal static class ExperimentSampleGrids
{
    private const int Gutter = 2, Margin = 4;
    private static readonly Rgb24 White = new(255, 255, 255), Ink = new(40, 40, 40);
    private static readonly SafeImageDecoder Decoder = new();

    /// <summary>
    /// Writes <c>samples-step&lt;N&gt;.png</c> into <paramref name="outputFolder"/> for every step at which some evaluated
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
            var path = Path.Combine(outputFolder, string.Create(CultureInfo.InvariantCulture, $"samples-step{step}.png"));
            using (var grid = Draw(lines, string.Create(CultureInfo.InvariantCulture, $"step {step}")))
                grid.SaveAsPng(path);
            written.Add(path);
        }
        return written;
    }

    private static string[] SampleFiles(string experimentFolder, ExperimentResult row, int count)
    {
        var folder = ExperimentRunner.SamplesFolder(ExperimentRunner.RunFolder(experimentFolder, row.Arm, row.Seed), row.Step);
        return Enumerable.Range(0, count).Select(i => Path.Combine(folder, GenerationEvaluation.SampleFileName(i))).ToArray();
    }

    private static Image<Rgb24> Draw(IReadOnlyList<(string Label, string[] Files)> lines, string title)
    {
        int labelWidth = lines.Max(line => BitmapFont.Measure(line.Label, 1)) + 2 * Margin;
        int titleHeight = BitmapFont.GlyphHeight + 2 * Margin;
        Image<Rgb24>? grid = null;
        int cellWidth = 0, cellHeight = 0;
        try
        {
            for (int row = 0; row < lines.Count; row++)
                for (int column = 0; column < lines[row].Files.Length; column++)
                {
                    var file = lines[row].Files[column];
                    using var sample = Decoder.Load(file);
                    if (grid is null)
                    {
                        (cellWidth, cellHeight) = (sample.Width, sample.Height);
                        grid = new Image<Rgb24>(labelWidth + lines[0].Files.Length * (cellWidth + Gutter), titleHeight + lines.Count * (cellHeight + Gutter), White);
                        BitmapFont.Draw(grid, title, Margin, Margin, Ink);
                    }
                    if (sample.Width != cellWidth || sample.Height != cellHeight)
                        throw new ExperimentSpecException(file, $"is {sample.Width}×{sample.Height}; the grid's first sample is {cellWidth}×{cellHeight}.");
                    if (column == 0)
                        BitmapFont.Draw(grid, lines[row].Label, Margin, titleHeight + row * (cellHeight + Gutter) + (cellHeight - BitmapFont.GlyphHeight) / 2, Ink);
                    int x0 = labelWidth + column * (cellWidth + Gutter), y0 = titleHeight + row * (cellHeight + Gutter);
                    sample.ProcessPixelRows(grid, (source, target) =>
                    {
                        for (int y = 0; y < source.Height; y++) source.GetRowSpan(y).CopyTo(target.GetRowSpan(y0 + y)[x0..]);
                    });
                }
            return grid!;
        }
        catch
        {
            grid?.Dispose();
            throw;
        }
    }
}
