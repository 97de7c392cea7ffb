using System.Text.Json;
using Matryoshka.Conditioning.Tokenization;
using Xunit;

namespace Matryoshka.Tests.Conditioning.Tokenization;

/// <summary>One caption of the fixture with the ids ml-mdm gives it on each path.</summary>
public sealed record CaptionCase(string Caption, int[] InferenceIds, int[] TrainingIds);

/// <summary>The tokenizer fixture, loaded once per test run: ml-mdm's t5.vocab and the reference captions.</summary>
public static class TokenizerCaptions
{
    private static readonly Lazy<MlMdmTokenizer> SharedTokenizer =
        new(() => MlMdmTokenizer.Load(Fixtures.Tokenizer("t5.vocab")));

    private static readonly Lazy<IReadOnlyList<CaptionCase>> SharedCases = new(LoadCases);

    public static MlMdmTokenizer Tokenizer => SharedTokenizer.Value;

    public static IReadOnlyList<CaptionCase> Cases => SharedCases.Value;

    /// <summary>Theory rows: the case index and a printable prefix of its caption.</summary>
    public static TheoryData<int, string> Indices()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < Cases.Count; i++)
        {
            data.Add(i, Printable(Cases[i].Caption));
        }
        return data;
    }

    private static string Printable(string caption)
    {
        var ascii = new string([.. caption.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return ascii.Length <= 40 ? ascii : ascii[..40];
    }

    private static IReadOnlyList<CaptionCase> LoadCases()
    {
        using var stream = File.OpenRead(Fixtures.Tokenizer("captions.json"));
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.EnumerateArray().Select(entry => new CaptionCase(
            entry.GetProperty("caption").GetString()!,
            [.. entry.GetProperty("inference_ids").EnumerateArray().Select(id => id.GetInt32())],
            [.. entry.GetProperty("training_ids").EnumerateArray().Select(id => id.GetInt32())]))];
    }
}
