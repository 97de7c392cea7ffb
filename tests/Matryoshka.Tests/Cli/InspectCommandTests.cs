using Matryoshka.Cli.Commands;
using Matryoshka.Tests.IO;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class InspectCommandTests
{
    [Fact]
    public void Valid_file_lists_tensors_metadata_and_totals()
    {
        var (code, stdout, stderr) = Run(Fixtures.MlMdm("two_level", "forward.safetensors"));

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("out.0", stdout);
        Assert.Matches(@"out\.0\s+F32\s+\[2, 3, 32, 32\]\s+24,576", stdout);
        Assert.Matches(@"\bt\s+I64\s+\[2\]\s+16", stdout);
        Assert.Contains("case = two_level", stdout);
        Assert.Contains("totals: 13 tensors, 17,772 elements, 71,096 bytes", stdout);
    }

    [Fact]
    public void Malformed_file_is_refused_with_exit_code_2()
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.safetensors", MalformedSafetensorsCases.Bytes("gap between tensors"));

        var (code, stdout, stderr) = Run(path);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("refused: ", stderr);
        Assert.Contains("gap of 4 bytes", stderr);
    }

    [Fact]
    public void Missing_file_exits_with_2_and_says_so()
    {
        using var folder = new TempFolder();

        var (code, _, stderr) = Run(folder.File("absent.safetensors"));

        Assert.Equal(2, code);
        Assert.Contains("file not found", stderr);
    }

    [Theory]
    [InlineData("config.json", "is not valid JSON")]
    [InlineData("model.yaml", "line 1, column 1: the character U+0001 is not allowed in YAML")]
    [InlineData("weights.bin", "unsupported file type '.bin'")]
    public void Unreadable_or_unsupported_files_are_refused_with_exit_code_2(string name, string fragment)
    {
        using var folder = new TempFolder();
        var path = folder.Write(name, [1, 2, 3]);

        var (code, _, stderr) = Run(path);

        Assert.Equal(2, code);
        Assert.Contains(fragment, stderr);
    }

    [Fact]
    public void Command_line_parsing_reaches_the_command()
    {
        var command = InspectCommand.Create();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = command.Parse([Fixtures.MlMdm("two_level", "forward.safetensors")])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(0, code);
        Assert.Contains("totals: 13 tensors", output.ToString());
    }

    private static (int Code, string Stdout, string Stderr) Run(string path)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = InspectCommand.Run(path, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
