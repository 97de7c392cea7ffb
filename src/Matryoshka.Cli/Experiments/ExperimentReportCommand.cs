using System.CommandLine;
using Matryoshka.Training.Experiments;

namespace Matryoshka.Cli.Experiments;

/// <summary>
/// <c>matryoshka experiment-report --results DIR/results.csv --out FOLDER [--baseline flat-64] [--samples 8]</c>: the
/// SVG charts and summary of an experiment's results and, from the run folders next to results.csv, sample grids at
/// equal steps (<see cref="ExperimentWorkflow.WriteReport"/>). Exit codes: 0 written, 2 bad input.
/// </summary>
internal static class ExperimentReportCommand
{
    internal const int Refused = 2;

    public static Command Create()
    {
        var results = new Option<string>("--results") { Description = "An experiment's results.csv.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the SVG charts, summary.md and the sample grids.", Required = true };
        var baseline = new Option<string?>("--baseline") { Description = "The arm whose final FD-ResNet18 the others are timed to reach (default: the first arm in the file)." };
        var samples = new Option<int>("--samples") { Description = "Images per row of the sample grids at each step (the first evaluation captions; 0: no grids).", DefaultValueFactory = _ => 8 };
        var command = new Command("experiment-report", "Charts (each metric against steps, FLOPs and hours), a summary and sample grids of an experiment's results.csv.");
        foreach (var option in new Option[] { results, output, baseline, samples }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(results)!, parse.GetValue(output)!, parse.GetValue(baseline), parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error, parse.GetValue(samples)));
        return command;
    }

    internal static int Run(string resultsPath, string outputFolder, string? baseline, TextWriter stdout, TextWriter stderr, int samples = 8)
    {
        if (samples is < 0 or > 64) { stderr.WriteLine($"refused: --samples must be 0 … 64; got {samples}"); return Refused; }
        try
        {
            var report = ExperimentWorkflow.WriteReport(resultsPath, outputFolder, baseline, samples);
            foreach (var file in report.Files.Concat(report.SampleGrids)) stdout.WriteLine(file);
            if (samples > 0 && report.SampleGrids.Count == 0)
                stdout.WriteLine($"no sample grids: no run folder under {report.ExperimentFolder} has {samples} evaluation samples");
            return 0;
        }
        catch (Exception e) when (e is MatryoshkaException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return Refused;
        }
    }
}
