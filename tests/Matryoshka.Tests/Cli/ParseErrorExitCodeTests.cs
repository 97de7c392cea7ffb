using System.CommandLine;
using Matryoshka.Cli.Root;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary>A command line that does not parse is bad input: exit 2 (README), never 1 ("write failed").</summary>
public class ParseErrorExitCodeTests
{
    private static (int Code, string Stderr) Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CommandTree.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }).GetAwaiter().GetResult();
        return (code, error.ToString());
    }

    public static TheoryData<string> Commands() => [.. CommandTree.CreateRoot().Subcommands.Select(command => command.Name)];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_exits_2_with_a_message_on_an_unknown_option(string command)
    {
        var (code, stderr) = Invoke(command, "--no-such-option");
        Assert.Equal(2, code);
        // The first error System.CommandLine reports: the unknown option, or a required option or argument it lacks.
        Assert.Matches("--no-such-option|required|Required", stderr);
    }

    [Theory]
    [InlineData("--seed", "-1")]
    [InlineData("--steps", "abc")]
    public void Generate_exits_2_on_a_value_of_the_wrong_type(string option, string value)
    {
        var (code, stderr) = Invoke("generate", "a red apple", "--out", "never-written.png", option, value);
        Assert.Equal(2, code);
        Assert.Contains(value, stderr);
        Assert.False(File.Exists("never-written.png"));
    }

    [Fact]
    public void A_missing_required_option_exits_2_naming_it()
    {
        var (code, stderr) = Invoke("train", "--config", "training.yaml");
        Assert.Equal(2, code);
        Assert.Contains("--out", stderr);
    }

    [Fact]
    public void An_unknown_command_exits_2()
    {
        Assert.Equal(2, Invoke("no-such-command").Code);
    }
}
