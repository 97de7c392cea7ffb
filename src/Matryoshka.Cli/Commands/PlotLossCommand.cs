using System.CommandLine;
using Matryoshka.Cli.Training;
using SixLabors.ImageSharp;

namespace Matryoshka.Cli.Commands;

/// <summary><c>matryoshka plot-loss --csv runs/x/loss.csv --out curves.png [--window 50]</c>: loss per level as a PNG.</summary>
internal static class PlotLossCommand
{
    public static Command Create()
    {
        var csv = new Option<string>("--csv") { Description = "A training run's loss.csv.", Required = true };
        var output = new Option<string>("--out") { Description = "The PNG to write.", Required = true };
        var window = new Option<int>("--window") { Description = "Moving-average window in steps.", DefaultValueFactory = _ => 50 };
        var command = new Command("plot-loss", "Plot a training run's loss per level (log scale; level 0 blue, 1 orange, 2 green; gray lines: stage changes).");
        foreach (var option in new Option[] { csv, output, window }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(csv)!, parse.GetValue(output)!, parse.GetValue(window), parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string csv, string output, int window, TextWriter stderr)
    {
        if (Directory.Exists(output))
        {
            stderr.WriteLine($"refused: --out {output} is a folder; give the PNG's file name");
            return 2;
        }
        try
        {
            var (steps, stages, levels) = LossCurvePlot.Read(csv);
            using var image = LossCurvePlot.Draw(steps, stages, levels, window);
            image.SaveAsPng(output);
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return 2;
        }
    }
}
