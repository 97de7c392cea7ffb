using Matryoshka.Cli.Evaluation;
using Matryoshka.Cli.Experiments;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Experiments;

/// <summary>experiment-report's sample grids: every arm and seed's first evaluation images, side by side at each step.</summary>
public class ExperimentSampleGridTests
{
    private const int Width = 6, Height = 5; // not square, so a transposed copy would show

    private static ExperimentResult Row(string arm, ulong seed, long step, bool evaluated = true) =>
        new(arm, seed, step, 0, 64, step * 32, step * 1e12, step * 2.0, 0.1, 0.01, 0.05, 0.1, 0.2, evaluated ? 300 : null, 50, 60);

    // A different solid colour for every sample of every run.
    private static Rgb24 Colour(int run, int index) => new((byte)(10 + 40 * run), (byte)(20 + 30 * index), 200);

    private static void WriteSamples(string experiment, ExperimentResult row, int run, int count, int width = Width)
    {
        var folder = Directory.CreateDirectory(ExperimentRunner.SamplesFolder(ExperimentRunner.RunFolder(experiment, row.Arm, row.Seed), row.Step)).FullName;
        for (int i = 0; i < count; i++)
        {
            using var image = new Image<Rgb24>(width, Height, Colour(run, i));
            image.SaveAsPng(Path.Combine(folder, GenerationEvaluation.SampleFileName(i)));
        }
    }

    [Fact]
    public void Each_step_gets_a_row_per_arm_and_seed_baseline_first_with_the_same_samples_in_order()
    {
        using var temp = new TempFolder();
        var experiment = temp.File("experiment");
        // In results.csv's order: seed 2 of flat came back first; mdm's second seed has one sample too few; the
        // progressive run was not evaluated at this step (its low-resolution stage); nothing was generated at step 20.
        var flat2 = Row("flat", 2, 10); var mdm1 = Row("mdm", 1, 10); var flat1 = Row("flat", 1, 10); var mdm2 = Row("mdm", 2, 10);
        var rows = new[] { flat2, mdm1, flat1, mdm2, Row("progressive", 1, 10, evaluated: false), Row("flat", 1, 20) };
        WriteSamples(experiment, flat1, 0, 3);
        WriteSamples(experiment, flat2, 1, 3);
        WriteSamples(experiment, mdm1, 2, 3);
        WriteSamples(experiment, mdm2, 3, 2);

        var files = ExperimentSampleGrids.Write(rows, experiment, temp.File("report"), count: 3, baseline: "mdm");

        Assert.Equal(new[] { temp.File("report/samples-step10.png") }, files);
        using var grid = Image.Load<Rgb24>(files[0]);
        var pixels = new Dictionary<Rgb24, List<(int X, int Y)>>();
        grid.ProcessPixelRows(rowsOf =>
        {
            for (int y = 0; y < rowsOf.Height; y++)
            {
                var span = rowsOf.GetRowSpan(y);
                for (int x = 0; x < span.Length; x++)
                {
                    if (!pixels.TryGetValue(span[x], out var list)) pixels[span[x]] = list = new();
                    list.Add((x, y));
                }
            }
        });
        // Rows: mdm seed 1 (the baseline first), flat seed 1, flat seed 2 (then seeds in order); mdm seed 2 is left out.
        int[] runs = { 2, 0, 1 };
        double previousY = double.NegativeInfinity;
        foreach (int run in runs)
        {
            double previousX = double.NegativeInfinity, rowY = double.NaN;
            for (int i = 0; i < 3; i++)
            {
                var block = pixels[Colour(run, i)];
                Assert.Equal(Width * Height, block.Count); // the whole sample, once
                Assert.Equal(Width - 1, block.Max(p => p.X) - block.Min(p => p.X));
                Assert.Equal(Height - 1, block.Max(p => p.Y) - block.Min(p => p.Y));
                double x = block.Average(p => p.X), y = block.Average(p => p.Y);
                Assert.True(x > previousX, $"run {run} sample {i} is not right of sample {i - 1}");
                if (i > 0) Assert.Equal(rowY, y);
                (previousX, rowY) = (x, y);
            }
            Assert.True(rowY > previousY, $"run {run} is not below the run before it");
            previousY = rowY;
        }
        Assert.False(pixels.ContainsKey(Colour(3, 0)));
    }

    [Fact]
    public void A_sample_of_another_size_is_refused_with_its_file()
    {
        using var temp = new TempFolder();
        var experiment = temp.File("experiment");
        var rows = new[] { Row("flat", 1, 10), Row("mdm", 1, 10) };
        WriteSamples(experiment, rows[0], 0, 2);
        WriteSamples(experiment, rows[1], 1, 2, width: Width + 1);

        var e = Assert.Throws<ExperimentSpecException>(() => ExperimentSampleGrids.Write(rows, experiment, temp.File("report"), count: 2));

        Assert.Contains("mdm-seed1", e.Message);
        Assert.Contains($"is {Width + 1}×{Height}; the grid's first sample is {Width}×{Height}", e.Message);
    }
}
