using Matryoshka.Cli.Experiments;
using Matryoshka.Evaluation;
using Matryoshka.Training.Experiments;
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

        Assert.Equal(new[] { temp.File("report/samples-step10.svg") }, files);
        var grid = new SvgFile(files[0]);
        // Each embedded sample: where it is drawn and the one colour of its pixels (which run and sample it is).
        var samples = grid.OfClass("sample").Select(e =>
        {
            Assert.True(SvgFile.Is(e, "image"));
            var href = (string)e.Attribute("href")!;
            Assert.StartsWith("data:image/png;base64,", href);
            using var image = Image.Load<Rgb24>(Convert.FromBase64String(href["data:image/png;base64,".Length..]));
            var colours = new HashSet<Rgb24>();
            image.ProcessPixelRows(rowsOf => { for (int y = 0; y < rowsOf.Height; y++) foreach (var p in rowsOf.GetRowSpan(y)) colours.Add(p); });
            Assert.Equal((Width, Height), (image.Width, image.Height)); // not transposed
            Assert.Equal((Width, Height), ((int)SvgFile.Number(e, "width"), (int)SvgFile.Number(e, "height")));
            return (Colour: Assert.Single(colours), X: SvgFile.Number(e, "x"), Y: SvgFile.Number(e, "y"));
        }).ToArray();
        // Rows: mdm seed 1 (the baseline first), flat seed 1, flat seed 2 (then seeds in order); mdm seed 2 is left out.
        int[] runs = { 2, 0, 1 };
        Assert.Equal(runs.SelectMany(run => Enumerable.Range(0, 3).Select(i => Colour(run, i))), samples.Select(s => s.Colour));
        for (int row = 0; row < runs.Length; row++)
        {
            var line = samples.Skip(3 * row).Take(3).ToArray();
            Assert.All(line, sample => Assert.Equal(line[0].Y, sample.Y));
            Assert.All(line.Zip(line.Skip(1)), pair => Assert.True(pair.Second.X >= pair.First.X + Width, "a sample overlaps the one left of it"));
            if (row > 0) Assert.True(line[0].Y >= samples[3 * (row - 1)].Y + Height, $"run {runs[row]} is not below the run before it");
        }
        Assert.Equal(new[] { "mdm seed 1", "flat seed 1", "flat seed 2" }, grid.Texts("label"));
        Assert.Equal(new[] { "step 10" }, grid.Texts("title"));
        Assert.True(grid.Width >= samples.Max(s => s.X) + Width && grid.Height >= samples.Max(s => s.Y) + Height, "a sample lies outside the grid");
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
