using Matryoshka.Cli.Commands;
using Matryoshka.Cli.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class PlotLossTests
{
    [Fact]
    public void Moving_average_is_trailing_and_restarts_after_a_gap() =>
        Assert.Equal(new double?[] { 1, 1.5, 2.5, null, 5 }, LossCurvePlot.MovingAverage(new double?[] { 1, 2, 3, null, 5 }, 2));

    [Fact]
    public void Each_level_is_drawn_at_its_log_loss_and_only_where_it_was_trained()
    {
        using var temp = new TempFolder();
        var rows = new List<string> { "step,stage,stage_step,loss,loss_level0,loss_level1,learning_rate,grad_norm,skipped" };
        for (int s = 1; s <= 10; s++) rows.Add($"{s},0,{s},0.1,,0.1,0.001,1,0");
        for (int s = 11; s <= 20; s++) rows.Add($"{s},1,{s - 10},0.11,0.01,0.1,0.001,1,0");
        File.WriteAllLines(temp.File("loss.csv"), rows);

        Assert.Equal(0, PlotLossCommand.Run(temp.File("loss.csv"), temp.File("curves.png"), 1, new StringWriter()));
        using var image = Image.Load<Rgb24>(temp.File("curves.png"));
        Assert.Equal((LossCurvePlot.Width, LossCurvePlot.Height), (image.Width, image.Height));
        // log10 range [−2, −1]: 0.1 (level 1, orange) on the top row of the plot, 0.01 (level 0, blue) on the bottom row.
        int top = LossCurvePlot.Margin, bottom = LossCurvePlot.Height - LossCurvePlot.Margin - 1;
        int inStage0 = LossCurvePlot.Margin + 200, inStage1 = LossCurvePlot.Width - LossCurvePlot.Margin - 100;
        Assert.Equal(new Rgb24(255, 127, 14), image[inStage0, top]);
        Assert.Equal(new Rgb24(31, 119, 180), image[inStage1, bottom]);
        Assert.Equal(new Rgb24(220, 220, 220), image[inStage0, bottom]); // level 0 not trained in stage 0: only the grid line

        Assert.Equal(2, PlotLossCommand.Run(temp.File("missing.csv"), temp.File("x.png"), 1, new StringWriter()));
    }

    [Fact]
    public void An_out_path_that_is_a_folder_is_refused_by_name()
    {
        using var temp = new TempFolder();
        File.WriteAllLines(temp.File("loss.csv"), ["step,stage,stage_step,loss,loss_level0,learning_rate,grad_norm,skipped", "1,0,1,0.1,0.1,0.001,1,0"]);
        var folder = Directory.CreateDirectory(temp.File("plots")).FullName;
        var stderr = new StringWriter();

        Assert.Equal(2, PlotLossCommand.Run(temp.File("loss.csv"), folder, 1, stderr));
        Assert.Contains("is a folder", stderr.ToString());
    }
}
