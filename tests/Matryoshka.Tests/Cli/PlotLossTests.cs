using Matryoshka.Cli.Commands;
using Matryoshka.Training.Plotting;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class PlotLossTests
{
    [Fact]
    public void Moving_average_is_trailing_and_restarts_after_a_gap() =>
        Assert.Equal(new double?[] { 1, 1.5, 2.5, null, 5 }, LossCurvePlot.MovingAverage(new double?[] { 1, 2, 3, null, 5 }, 2));

    [Fact]
    public async Task A_fifo_or_a_symbolic_link_as_the_chart_is_refused_instead_of_blocking_or_writing_through()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("loss.csv"), ["step,stage,stage_step,loss,loss_level0,learning_rate,grad_norm,skipped", "1,0,1,0.1,0.1,0.001,1,0"]);
        var fifo = SpecialFiles.Fifo(temp.File("pipe.svg"));
        File.WriteAllText(temp.File("elsewhere.svg"), "kept");
        File.CreateSymbolicLink(temp.File("link.svg"), temp.File("elsewhere.svg"));

        foreach (var target in new[] { fifo, temp.File("link.svg") })
        {
            var stderr = new StringWriter();
            int code = await Task.Run(() => PlotLossCommand.Run(temp.File("loss.csv"), target, 1, stderr)).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(2, code);
            Assert.Contains(target, stderr.ToString());
        }
        Assert.Equal("kept", File.ReadAllText(temp.File("elsewhere.svg")));
    }

    [Fact]
    public void Each_level_is_drawn_at_its_log_loss_and_only_where_it_was_trained()
    {
        using var temp = new TempFolder();
        var rows = new List<string> { "step,stage,stage_step,loss,loss_level0,loss_level1,learning_rate,grad_norm,skipped" };
        for (int s = 1; s <= 10; s++) rows.Add($"{s},0,{s},0.1,,0.1,0.001,1,0");
        for (int s = 11; s <= 20; s++) rows.Add($"{s},1,{s - 10},0.11,0.01,0.1,0.001,1,0");
        File.WriteAllLines(temp.File("loss.csv"), rows);

        Assert.Equal(0, PlotLossCommand.Run(temp.File("loss.csv"), temp.File("curves.svg"), 1, new StringWriter()));
        var svg = new SvgFile(temp.File("curves.svg"));
        Assert.Equal((LossCurvePlot.Width, LossCurvePlot.Height), ((int)svg.Width, (int)svg.Height));
        // log10 range [−2, −1]: 0.1 (level 1, orange) on the top edge of the plot, 0.01 (level 0, blue) on the bottom edge.
        double top = LossCurvePlot.Top, bottom = LossCurvePlot.Height - LossCurvePlot.Bottom;
        double X(int step) => LossCurvePlot.Left + (step - 1) / 19.0 * (LossCurvePlot.Width - LossCurvePlot.Left - LossCurvePlot.Right);
        var series = svg.Series().ToDictionary(s => s.Name, s => s.Points);
        Assert.Equal(new[] { "level 0", "level 1" }, series.Keys.Order());
        Assert.Equal(20, series["level 1"].Length);
        Assert.All(series["level 1"], p => Assert.Equal(top, p.Y, 2));
        // Level 0 was not trained in stage 0: its line starts at step 11.
        Assert.Equal(10, series["level 0"].Length);
        Assert.All(series["level 0"], p => Assert.Equal(bottom, p.Y, 2));
        Assert.Equal(X(11), series["level 0"][0].X, 2);
        Assert.Equal(X(20), series["level 0"][^1].X, 2);
        Assert.Equal("#1f77b4", (string?)svg.OfClass("series").Single(e => (string?)e.Attribute("data-name") == "level 0").Attribute("stroke"));
        Assert.Equal("#ff7f0e", (string?)svg.OfClass("series").Single(e => (string?)e.Attribute("data-name") == "level 1").Attribute("stroke"));
        // One stage change, one decade line per power of ten with its label, and the axes named.
        Assert.Equal(X(11), SvgFile.Number(svg.OfClass("stage").Single(), "x1"), 2);
        Assert.Equal(new[] { "1e-2", "1e-1" }, svg.Texts("y-tick"));
        Assert.Equal(new[] { "step" }, svg.Texts("x-label"));
        Assert.Equal(new[] { "loss (log scale)" }, svg.Texts("y-label"));

        Assert.Equal(2, PlotLossCommand.Run(temp.File("missing.csv"), temp.File("x.svg"), 1, new StringWriter()));
    }

    [Fact]
    public void An_out_path_that_is_a_folder_or_not_an_svg_is_refused_by_name()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("loss.csv"), ["step,stage,stage_step,loss,loss_level0,learning_rate,grad_norm,skipped", "1,0,1,0.1,0.1,0.001,1,0"]);
        var folder = Directory.CreateDirectory(temp.File("plots")).FullName;
        var stderr = new StringWriter();

        Assert.Equal(2, PlotLossCommand.Run(temp.File("loss.csv"), folder, 1, stderr));
        Assert.Contains("is a folder", stderr.ToString());
        Assert.Equal(2, PlotLossCommand.Run(temp.File("loss.csv"), temp.File("curves.png"), 1, stderr));
        Assert.Contains("ending in .svg", stderr.ToString());
        Assert.False(File.Exists(temp.File("curves.png")));
    }

    [Fact]
    public void The_library_draws_a_loss_csv_in_one_call()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("loss.csv"), ["step,stage,stage_step,loss,loss_level0,learning_rate,grad_norm,skipped", "1,0,1,0.5,0.5,0.001,1,0", "2,0,2,0.05,0.05,0.001,1,0"]);

        LossCurvePlot.Write(temp.File("loss.csv"), temp.File("c.svg"), window: 1);

        var series = new SvgFile(temp.File("c.svg")).Series().Single();
        Assert.Equal("level 0", series.Name);
        // log10 0.5 ≈ −0.30 and log10 0.05 ≈ −1.30 in the range [−2, 0]: 15 % and 65 % of the way down the plot.
        double plotHeight = LossCurvePlot.Height - LossCurvePlot.Top - LossCurvePlot.Bottom;
        Assert.Equal(LossCurvePlot.Top + (0 - Math.Log10(0.5)) / 2 * plotHeight, series.Points[0].Y, 2);
        Assert.Equal(LossCurvePlot.Top + (0 - Math.Log10(0.05)) / 2 * plotHeight, series.Points[1].Y, 2);
    }
}
