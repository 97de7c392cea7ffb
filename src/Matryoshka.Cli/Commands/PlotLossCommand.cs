using System.CommandLine;
using Matryoshka.Training.Plotting;

namespace Matryoshka.Cli.Commands;

/// <summary><c>matryoshka plot-loss --csv runs/x/loss.csv --out curves.svg [--window 50]</c>: loss per level as an SVG chart.</summary>
internal static class PlotLossCommand
{
    public static Command Create()
    {
        var csv = new Option<string>("--csv") { Description = "A training run's loss.csv.", Required = true };
        var output = new Option<string>("--out") { Description = "The SVG to write (e.g. curves.svg).", Required = true };
        var window = new Option<int>("--window") { Description = "Moving-average window in steps.", DefaultValueFactory = _ => 50 };
        var command = new Command("plot-loss", "Plot a training run's loss per level as SVG (log scale; level 0 blue, 1 orange, 2 green; gray lines: stage changes).");
        foreach (var option in new Option[] { csv, output, window }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(csv)!, parse.GetValue(output)!, parse.GetValue(window), parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string csv, string output, int window, TextWriter stderr)
    {
        if (Directory.Exists(output))
        {
            stderr.WriteLine($"refused: --out {output} is a folder; give the SVG's file name");
            return 2;
        }
        if (!output.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            stderr.WriteLine($"refused: --out {output}: plot-loss draws SVG; give a file name ending in .svg");
            return 2;
        }
        try
        {
            LossCurvePlot.Write(csv, output, window);
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException or MatryoshkaException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return 2;
        }
    }
}
