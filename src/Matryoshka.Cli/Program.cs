using System.CommandLine;
using Matryoshka.Cli.Commands;

var root = new RootCommand("matryoshka: Matryoshka Diffusion Models for .NET (ml-mdm compatible).");
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(GrowCommand.Create());
root.Subcommands.Add(PlotLossCommand.Create());
root.Subcommands.Add(BenchCompareCommand.Create());
root.Subcommands.Add(PrepareEmojiCommand.Create());
root.Subcommands.Add(PrepareEmojiSvgCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(Matryoshka.Cli.Evaluation.EvalCommand.Create());
root.Subcommands.Add(Matryoshka.Cli.Experiments.ExperimentCommand.Create());
root.Subcommands.Add(Matryoshka.Cli.Experiments.ExperimentReportCommand.Create());
// Ctrl+C / SIGTERM cancel the running command, which then finishes its step and writes a checkpoint (train) before
// exiting; the default 2-second grace period would kill it in the middle of that.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
return await root.Parse(args).InvokeAsync(invocation);
