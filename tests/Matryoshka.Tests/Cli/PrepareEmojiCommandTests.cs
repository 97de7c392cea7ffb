using System.CommandLine;
using Matryoshka.Cli.Commands;
using Matryoshka.Tests.Data;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class PrepareEmojiCommandTests
{
    [Fact]
    public void Prints_a_summary_of_what_was_written_and_skipped()
    {
        using var folder = new TempFolder();
        var tarball = EmojiTarball.Standard().WriteTo(folder);
        var output = folder.File("emoji");

        var (code, stdout, stderr) = Invoke("--package", tarball, "--out", output);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains($"wrote 2 emoji from emoji-datasource-google 0.0.1-test to {output} (64×64 RGB on white", stdout);
        Assert.Contains("skipped 1: MissingImage 1", stdout);
        Assert.Contains("  1f347: package/img/google/64/1f347.png is not in the package", stdout);
        Assert.Matches(@"Food & Drink\s+2", stdout);
    }

    [Fact]
    public void A_hostile_package_exits_with_2_and_says_why()
    {
        using var folder = new TempFolder();
        var tarball = EmojiTarball.Standard().File("../evil.png", [1]).WriteTo(folder);

        var (code, stdout, stderr) = Invoke("--package", tarball, "--out", folder.File("emoji"));

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"refused: {tarball}: entry name '../evil.png' could escape the archive", stderr);
    }

    [Theory]
    [InlineData("--resolution", "0", "--resolution must be between 8 and 1024")]
    [InlineData("--limit", "0", "--limit must be positive")]
    [InlineData("--only", "durian", "no emoji has the file stem or short name 'durian'")]
    public void Bad_options_exit_with_2(string option, string value, string message)
    {
        using var folder = new TempFolder();
        var tarball = EmojiTarball.Standard().WriteTo(folder);

        var (code, _, stderr) = Invoke("--package", tarball, "--out", folder.File("emoji"), option, value);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    private static (int Code, string Stdout, string Stderr) Invoke(params string[] args)
    {
        var root = new RootCommand { PrepareEmojiCommand.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var parse = root.Parse(["prepare-emoji", .. args]);
        int code = parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
