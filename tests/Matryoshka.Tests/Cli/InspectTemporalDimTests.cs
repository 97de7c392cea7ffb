using Matryoshka.Cli.Commands;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary>
/// <c>inspect</c> on the emoji-64 sample config with a hostile temporal_dim: exit 2 with a message naming the field and
/// saying plainly what is wrong with the value as written (no 32-bit wrap-around, no blame on another field).
/// </summary>
public class InspectTemporalDimTests
{
    private static readonly string Emoji64 = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "emoji-64.model.yaml");

    // Inspects a copy of the sample config with one line replaced.
    private static (int Code, string Stdout, string Stderr) InspectEdited(string line, string replacement)
    {
        using var temp = new TempFolder();
        var text = File.ReadAllText(Emoji64);
        var hostile = text.Replace(line, replacement);
        Assert.NotEqual(text, hostile);
        var path = temp.Write("model.yaml", System.Text.Encoding.UTF8.GetBytes(hostile));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (InspectCommand.Run(path, stdout, stderr), stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("4294967304", "unet_config.temporal_dim: is 4294967304, outside the 32-bit integers a config field holds (-2147483648 to 2147483647)")]
    [InlineData("99999999999", "unet_config.temporal_dim: is 99999999999, outside the 32-bit integers a config field holds")]
    [InlineData("-8", "unet_config.temporal_dim: is -8; the time embedding width must be a positive multiple of 8, at most 16777216")]
    [InlineData("2147483640", "unet_config.temporal_dim: is 2147483640; the time embedding width must be a positive multiple of 8, at most 16777216")]
    [InlineData("1073741824", "unet_config.temporal_dim: is 1073741824; the time embedding width must be a positive multiple of 8, at most 16777216")]
    public void A_hostile_temporal_dim_is_refused_naming_the_field_and_the_value(string value, string expected)
    {
        var (code, stdout, stderr) = InspectEdited("\n  temporal_dim: 256", "\n  temporal_dim: " + value);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("resolution_channels", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void An_unset_temporal_dim_with_absurd_channels_says_where_its_default_comes_from()
    {
        // The inner level leaves temporal_dim to its default, 4 × its first channel count: 4 × 10⁹ wrapped to a negative int before.
        var (code, _, stderr) = InspectEdited("\n    resolution_channels: [64, 96, 128]", "\n    resolution_channels: [1000000000, 96, 128]");
        Assert.Equal(2, code);
        Assert.Contains("unet_config.inner_config.temporal_dim: is 4000000000 (not set, so 4 × resolution_channels[0]); the time embedding width must be a positive multiple of 8, at most 16777216", stderr);
    }
}
