using Matryoshka.Cli.Training;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class DurationsTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("20m", 1200)]
    [InlineData("1.5h", 5400)]
    [InlineData("01:30:00", 5400)]
    public void Accepted_forms_give_the_exact_duration(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.TryParse(text));

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5m")]
    [InlineData("0s")]
    [InlineData("10x")]
    [InlineData("1e300h")]
    public void Anything_else_is_refused(string text) => Assert.Null(Durations.TryParse(text));
}
