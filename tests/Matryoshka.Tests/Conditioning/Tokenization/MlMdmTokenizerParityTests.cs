using Xunit;

namespace Matryoshka.Tests.Conditioning.Tokenization;

/// <summary>Every fixture caption gets exactly the ids mlx-data's tokenizer gave it under ml-mdm's processing.</summary>
public class MlMdmTokenizerParityTests
{
    [Fact]
    public void Fixture_has_thirty_captions() => Assert.Equal(30, TokenizerCaptions.Cases.Count);

    [Theory]
    [MemberData(nameof(TokenizerCaptions.Indices), MemberType = typeof(TokenizerCaptions))]
    public void Inference_ids_match_ml_mdm(int index, string label)
    {
        var expected = TokenizerCaptions.Cases[index];
        AssertIds(index, label, expected.InferenceIds, TokenizerCaptions.Tokenizer.EncodeForInference(expected.Caption));
    }

    [Theory]
    [MemberData(nameof(TokenizerCaptions.Indices), MemberType = typeof(TokenizerCaptions))]
    public void Training_ids_match_ml_mdm(int index, string label)
    {
        var expected = TokenizerCaptions.Cases[index];
        AssertIds(index, label, expected.TrainingIds, TokenizerCaptions.Tokenizer.EncodeForTraining(expected.Caption));
    }

    private static void AssertIds(int index, string label, int[] expected, int[] actual) =>
        Assert.True(expected.SequenceEqual(actual),
            $"caption {index} '{label}': expected [{string.Join(',', expected)}], got [{string.Join(',', actual)}]");
}
