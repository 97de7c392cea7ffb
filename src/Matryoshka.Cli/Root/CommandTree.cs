using System.CommandLine;
using Matryoshka.Cli.Commands;
using Matryoshka.Cli.Evaluation;
using Matryoshka.Cli.Experiments;

// Its own namespace: the commands use Matryoshka.Cli's helpers, so the tree of commands cannot live there too.
namespace Matryoshka.Cli.Root;

/// <summary>The <c>matryoshka</c> command tree and its invocation, with README's exit codes for parse errors.</summary>
internal static class CommandTree
{
    /// <summary>Exit code of every command for input it refuses, a command line that does not parse included.</summary>
    public const int InputRefused = 2;

    public static RootCommand CreateRoot()
    {
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
        root.Subcommands.Add(PrepareEmojiClipsCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(EvalVideoCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(ExperimentReportCommand.Create());
        return root;
    }

    /// <summary>
    /// Runs the command <paramref name="args"/> name. A command line that does not parse (an unknown option, a value
    /// of the wrong type, a missing required option) prints System.CommandLine's errors and usage as usual but exits
    /// with <see cref="InputRefused"/>, not its default 1, which README reserves for failed writes.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration invocation)
    {
        var parse = CreateRoot().Parse(args);
        var code = await parse.InvokeAsync(invocation);
        return parse.Errors.Count > 0 ? InputRefused : code;
    }
}
