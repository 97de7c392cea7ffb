using Matryoshka.Cli.Commands;
using Matryoshka.Tests.Data.EmojiSvg;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class PrepareEmojiSvgCommandTests
{
    [Fact]
    public async Task The_command_exits_with_2_on_a_bad_package_and_prints_a_summary_otherwise()
    {
        using var folder = new TempFolder();
        var good = IconifyTarball.Options(folder, IconifyTarball.Package().WriteTo(folder));
        var bad = good with { PackagePath = folder.File("missing.tgz") };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(2, await PrepareEmojiSvgCommand.RunAsync(bad, stdout, stderr));
        Assert.Equal($"refused: {bad.PackagePath}: file not found", stderr.ToString().Trim());
        Assert.Equal(0, await PrepareEmojiSvgCommand.RunAsync(good, stdout, stderr));
        Assert.Contains("wrote 3 of 16 emoji from @iconify-json/noto 0.0.1-test", stdout.ToString());
        Assert.Contains("1f34c (broken-banana): SvgRefused, SVG 1f34c (broken-banana): is not well-formed XML", stdout.ToString());
    }
}
