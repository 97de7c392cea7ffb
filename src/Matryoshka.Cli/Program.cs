using System.CommandLine;
using Matryoshka.Cli.Commands;

var root = new RootCommand("matryoshka: Matryoshka Diffusion Models for .NET (ml-mdm compatible).");
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(PrepareEmojiCommand.Create());
return await root.Parse(args).InvokeAsync();
