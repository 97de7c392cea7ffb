using System.Text.Json;
using Matryoshka.Conditioning.Tokenization;
using Xunit;

namespace Matryoshka.Tests.Conditioning.Tokenization;

/// <summary>
/// Equally cheap segmentations resolve as in mlx-data: on a tiny vocabulary whose costs tie often, these inputs were
/// chosen because a different queue order or "last equal predecessor wins" would change their ids.
/// </summary>
public class MlMdmTokenizerTieTests
{
    private static readonly Lazy<MlMdmTokenizer> Tokenizer = new(() => MlMdmTokenizer.Load(Fixtures.Tokenizer("ties.vocab")));

    public static TheoryData<string, int[]> Cases()
    {
        using var stream = File.OpenRead(Fixtures.Tokenizer("ties.json"));
        using var document = JsonDocument.Parse(stream);
        var data = new TheoryData<string, int[]>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            data.Add(entry.GetProperty("input").GetString()!, [.. entry.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32())]);
        }
        return data;
    }

    [Fact]
    public void Fixture_has_its_thirty_two_cases() => Assert.Equal(32, Cases().Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ties_resolve_as_in_mlx_data(string input, int[] expected)
    {
        Assert.Equal(expected, Tokenizer.Value.Tokenize(input));
    }
}
